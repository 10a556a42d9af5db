/**
 * Realistic acceptances, as Partner Center reports them to a partner without DAP: the registered name and the
 * default *.onmicrosoft.com domain only. Each scenario says how it must end — matched by tenant, domain or name, or
 * a person asked — and the tally is printed. Wrong matches: 0.
 */
import { strict as assert } from 'node:assert';
import { matchCustomer, type AcceptedCustomer, type MatchCandidate } from '../../../src/core/requests/matching.js';

const T = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
let made = 0;
function request(customerName: string, domain: string, extra: Partial<MatchCandidate> = {}): MatchCandidate {
  made++;
  return {
    id: `RR-${String(made).padStart(5, '0')}`,
    customerName,
    contactEmail: `it@${domain}`,
    domain,
    createdAt: new Date(Date.UTC(2026, 10, 1, 0, made)).toISOString(),
    ...extra,
  };
}
const accepted = (tenant: number, companyName: string, defaultDomain: string): AcceptedCustomer => ({
  tenantId: T(tenant),
  companyName,
  domains: [defaultDomain],
});

type Outcome = 'tenant' | 'domain' | 'name' | 'ask';
interface Scenario {
  readonly what: string;
  readonly open: readonly MatchCandidate[];
  readonly customer: AcceptedCustomer;
  readonly want: Outcome;
  /** for matches: the request it must be */
  readonly expect?: number;
}

const northwind = request('Northwind', 'northwind.com');
const contosoUk = request('Contoso UK', 'contoso.co.uk');
const contosoDe = request('Contoso Deutschland', 'contoso.de');
const fabrikam = request('Fabrikam', 'fabrikam.com');
const tailspinKnown = request('Tailspin Toys', 'tailspintoys.com', { customerTenantId: T(7) });
const litware = request('Litware', 'litware.com', { tenantDomain: 'litwareinc.onmicrosoft.com' });
const adatum = request('Adatum', 'adatum.com');
const adatum2 = request('Adatum', 'adatum.net');
const wingtipOther = request('Wingtip Toys', 'wingtiptoys.com', { customerTenantId: T(99) });
const woodgrove = request('Woodgrove Bank', 'woodgrovebank.com');
const proseware = request('Proseware Group', 'proseware.com');
const alpine = request('Alpine Ski House', 'alpineskihouse.com');

const SCENARIOS: readonly Scenario[] = [
  {
    what: 'typed "Northwind", registered "Northwind Traders Holding GmbH", nwtraders.onmicrosoft.com',
    open: [northwind, fabrikam],
    customer: accepted(1, 'Northwind Traders Holding GmbH', 'nwtraders.onmicrosoft.com'),
    want: 'ask',
  },
  {
    what: 'typed "Fabrikam", registered "Fabrikam, Inc." (legal form only)',
    open: [northwind, fabrikam],
    customer: accepted(2, 'Fabrikam, Inc.', 'fabrikaminc.onmicrosoft.com'),
    want: 'name',
    expect: 1,
  },
  {
    what: 'typed "Contoso UK", registered "Contoso Deutschland GmbH" while both are open',
    open: [contosoUk, contosoDe],
    customer: accepted(3, 'Contoso Deutschland GmbH', 'contosode.onmicrosoft.com'),
    want: 'name',
    expect: 1,
  },
  {
    what: 'only "Contoso UK" open, registered "Contoso Deutschland GmbH" (another country: not the same)',
    open: [contosoUk],
    customer: accepted(4, 'Contoso Deutschland GmbH', 'contosode.onmicrosoft.com'),
    want: 'ask',
  },
  {
    what: 'the tenant id was typed with the request; registered under an unrelated name',
    open: [tailspinKnown, fabrikam],
    customer: accepted(7, 'TST Beteiligungs GmbH', 'tstbet.onmicrosoft.com'),
    want: 'tenant',
    expect: 0,
  },
  {
    what: 'the *.onmicrosoft.com domain was typed with the request',
    open: [litware, fabrikam],
    customer: accepted(8, 'Litware Incorporated Holding', 'litwareinc.onmicrosoft.com'),
    want: 'domain',
    expect: 0,
  },
  {
    what: 'two open requests typed "Adatum"; registered "Adatum Corporation"',
    open: [adatum, adatum2],
    customer: accepted(9, 'Adatum Corporation', 'adatumcorp.onmicrosoft.com'),
    want: 'ask',
  },
  {
    what: 'same name, but the request is known to be another tenant (GDAP approved by it)',
    open: [wingtipOther],
    customer: accepted(10, 'Wingtip Toys', 'wingtiptoys.onmicrosoft.com'),
    want: 'ask',
  },
  {
    what: 'typed "Woodgrove Bank", registered "Woodgrove Bank Group plc"',
    open: [woodgrove, fabrikam],
    customer: accepted(11, 'Woodgrove Bank Group plc', 'woodgrovebank.onmicrosoft.com'),
    want: 'name',
    expect: 0,
  },
  {
    what: 'typed "Proseware Group", registered "Proseware, Inc."',
    open: [proseware],
    customer: accepted(12, 'Proseware, Inc.', 'prosewareinc.onmicrosoft.com'),
    want: 'name',
    expect: 0,
  },
  {
    what: 'a customer nobody asked for ("Blue Yonder Airlines")',
    open: [northwind, fabrikam, alpine],
    customer: accepted(13, 'Blue Yonder Airlines', 'blueyonderairlines.onmicrosoft.com'),
    want: 'ask',
  },
  {
    what: 'typed "Alpine Ski House", registered "Alpine Ski House International AG"',
    open: [alpine, northwind],
    customer: accepted(14, 'Alpine Ski House International AG', 'alpineskihouse.onmicrosoft.com'),
    want: 'name',
    expect: 0,
  },
];

describe('realistic acceptances: how each ends', () => {
  it('matches by tenant, domain or name only when certain, asks a person otherwise, and never matches wrongly', () => {
    const tally: Record<string, number> = { tenant: 0, domain: 0, name: 0, ask: 0, wrong: 0 };
    for (const s of SCENARIOS) {
      const result = matchCustomer(s.customer, s.open);
      const got: Outcome = result.kind === 'matched' ? result.by : 'ask';
      const wrong = result.kind === 'matched' && (s.want === 'ask' || result.request.id !== s.open[s.expect ?? -1]?.id);
      if (wrong) tally['wrong'] = (tally['wrong'] ?? 0) + 1;
      else tally[got] = (tally[got] ?? 0) + 1;
      assert.equal(got, s.want, s.what);
      if (result.kind === 'matched') assert.equal(result.request.id, s.open[s.expect ?? -1]?.id, s.what);
    }
    // eslint-disable-next-line no-console -- the tally is what this test shows
    console.log(`      ${SCENARIOS.length} scenarios: ${JSON.stringify(tally)}`);
    assert.equal(tally['wrong'], 0);
  });
});
