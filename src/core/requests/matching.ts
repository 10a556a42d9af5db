/**
 * Recognising which open request a customer's acceptance belongs to (docs/behaviour.md#matching-an-acceptance). The
 * reseller link names the partner, not the customer, so we match on what we know: the tenant id (typed by staff, or
 * learnt when the customer approved the request's GDAP relationship), else a domain, else the registered name. A
 * request known to be about another tenant never matches; when unsure, a person decides.
 */

export type MatchTier = 'tenant' | 'domain' | 'name';

/** The customer as Partner Center describes them after they accept. */
export interface AcceptedCustomer {
  readonly tenantId?: string | undefined;
  readonly companyName: string;
  /** `companyProfile.domain` plus any custom domains */
  readonly domains: readonly string[];
}

/** The parts of a request matching looks at. */
export interface MatchCandidate {
  readonly id: string;
  readonly customerName: string;
  readonly contactEmail: string;
  readonly domain: string;
  readonly customerTenantId?: string | undefined;
  /** the customer's `*.onmicrosoft.com` domain, when staff gave it */
  readonly tenantDomain?: string | undefined;
  readonly createdAt: string;
}

export type MatchResult<C extends MatchCandidate> =
  | { readonly kind: 'matched'; readonly by: MatchTier; readonly request: C }
  | { readonly kind: 'ambiguous'; readonly by: MatchTier; readonly candidates: readonly C[] }
  | { readonly kind: 'unmatched'; readonly candidates: readonly C[] };

const MAX_SUGGESTIONS = 5;

/** Match an accepted customer against open requests; the first tier that finds anything decides. */
export function matchCustomer<C extends MatchCandidate>(
  customer: AcceptedCustomer,
  openRequests: readonly C[],
): MatchResult<C> {
  const tenantId = customer.tenantId?.toLowerCase();
  const domains = customer.domains.map((d) => d.toLowerCase().replace(/\.$/, '')).filter((d) => d.length > 0);

  const name = nameParts(customer.companyName);
  // a request already tied to another tenant is not this customer, whatever its name or domain says
  const possible = (c: C) => c.customerTenantId === undefined || c.customerTenantId.toLowerCase() === tenantId;
  const tiers: readonly [MatchTier, (c: C) => boolean][] = [
    ['tenant', (c) => tenantId !== undefined && c.customerTenantId?.toLowerCase() === tenantId],
    ['domain', (c) => possible(c) && requestDomains(c).some((d) => domains.some((cd) => sameOrSubdomain(d, cd)))],
    ['name', (c) => possible(c) && sameName(name, nameParts(c.customerName))],
  ];
  for (const [by, test] of tiers) {
    const hits = newestFirst(openRequests.filter(test));
    const [only] = hits;
    if (hits.length === 1 && only) return { kind: 'matched', by, request: only };
    if (hits.length > 1) return { kind: 'ambiguous', by, candidates: hits };
  }
  return { kind: 'unmatched', candidates: suggestions(customer, tenantId, domains, openRequests) };
}

/**
 * Company names as people type them differ in case, accents, punctuation and legal form:
 * "Contoso Ltd." , "CONTOSO limited" and "Contoso" all normalise to "contoso".
 */
export function normaliseCompanyName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    // dotted abbreviations are one word: "s.a." -> "sa", "l.l.c." -> "llc"
    .replace(/(?<![\p{L}\p{N}])(?:\p{L}\.)+\p{L}?(?![\p{L}\p{N}])/gu, (m) => m.replace(/\./g, ''))
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w.length > 0);
  const core = [...words];
  if (core[0] === 'the' && core.length > 1) core.shift();
  while (core.length > 1 && LEGAL_FORMS.has(core[core.length - 1] ?? '')) core.pop();
  return core.join(' ');
}

// Common legal-form words at the end of company names (dotted forms such as "S.A." arrive joined: "sa").
// prettier-ignore
const LEGAL_FORMS = new Set([
  'ltd', 'limited', 'inc', 'incorporated', 'llc', 'llp', 'lp', 'corp', 'corporation', 'co', 'company', 'plc',
  'gmbh', 'ag', 'kg', 'ug', 'mbh', 'sa', 'sas', 'sarl', 'srl', 'spa', 'sl', 'bv', 'nv', 'pty', 'pte', 'oy', 'ab',
  'as', 'asa', 'aps', 'kk', 'sro', 'doo', 'kft', 'zrt', 'bhd', 'sdn', 'group', 'holding', 'holdings',
]);

/**
 * A registered name's core and the country words it ends with: "Contoso Deutschland GmbH" is `contoso` in
 * `deutschland`. Legal forms, "Holding" and "Group" are dropped (see `normaliseCompanyName`).
 */
export function nameParts(companyName: string): { readonly core: string; readonly countries: readonly string[] } {
  const words = normaliseCompanyName(companyName).split(' ');
  const countries: string[] = [];
  while (words.length > 1) {
    const last = words[words.length - 1] ?? '';
    if (COUNTRY_WORDS.has(last)) countries.unshift(words.pop() ?? '');
    else if (LEGAL_FORMS.has(last)) words.pop();
    else break;
  }
  return { core: words.join(' '), countries };
}

/** Same core name, and no two different countries: "Contoso UK Ltd" is not "Contoso Deutschland GmbH". */
function sameName(a: ReturnType<typeof nameParts>, b: ReturnType<typeof nameParts>): boolean {
  if (a.core.length === 0 || a.core !== b.core) return false;
  return a.countries.length === 0 || b.countries.length === 0 || a.countries.join(' ') === b.countries.join(' ');
}

// Country and region words registered names end with (after accents and case are gone).
// prettier-ignore
const COUNTRY_WORDS = new Set([
  'deutschland', 'germany', 'uk', 'gb', 'england', 'us', 'usa', 'america', 'france', 'nederland', 'netherlands',
  'belgium', 'belgique', 'schweiz', 'suisse', 'switzerland', 'austria', 'osterreich', 'italia', 'italy', 'espana',
  'spain', 'portugal', 'ireland', 'canada', 'australia', 'nz', 'india', 'japan', 'singapore', 'sverige', 'sweden',
  'norge', 'norway', 'danmark', 'denmark', 'suomi', 'finland', 'polska', 'poland', 'nordic', 'nordics', 'europe',
  'emea', 'apac', 'international', 'intl', 'global', 'worldwide',
]);

function requestDomains(c: MatchCandidate): string[] {
  const emailDomain = c.contactEmail.slice(c.contactEmail.lastIndexOf('@') + 1).toLowerCase();
  return [...new Set([c.domain.toLowerCase(), emailDomain, ...(c.tenantDomain ? [c.tenantDomain.toLowerCase()] : [])])];
}

/** `eu.contoso.com` belongs to `contoso.com`; `notcontoso.com` does not. */
function sameOrSubdomain(domain: string, of: string): boolean {
  return domain === of || domain.endsWith(`.${of}`);
}

function newestFirst<C extends MatchCandidate>(list: readonly C[]): C[] {
  return [...list].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** For an unmatched customer: open requests a person might mean (shared name word or domain label). */
function suggestions<C extends MatchCandidate>(
  customer: AcceptedCustomer,
  tenantId: string | undefined,
  domains: readonly string[],
  openRequests: readonly C[],
): C[] {
  const words = new Set(
    normaliseCompanyName(customer.companyName)
      .split(' ')
      .filter((w) => w.length >= 3),
  );
  const labels = new Set(domains.map((d) => d.split('.')[0] ?? '').filter((l) => l.length >= 3));
  return newestFirst(
    openRequests.filter((c) => {
      const theirWords = normaliseCompanyName(c.customerName).split(' ');
      const theirLabels = requestDomains(c).map((d) => d.split('.')[0] ?? '');
      const other = c.customerTenantId !== undefined && c.customerTenantId.toLowerCase() !== tenantId;
      return !other && (theirWords.some((w) => words.has(w)) || theirLabels.some((l) => labels.has(l) || words.has(l)));
    }),
  ).slice(0, MAX_SUGGESTIONS);
}
