/**
 * Acceptances the bot could not tie to one request on its own (docs/behaviour.md#matching-an-acceptance): what
 * Partner Center said about the customer, the requests offered to a person, where the notification was posted (so
 * it can change in place), and how it was decided — a person's click, or the tenant a GDAP approval revealed.
 */
import type { CardLocation, RelationshipRequest } from '../model.js';
import { NOTIFICATION_RULES, notificationTitle, type NotificationModel } from '../notifications/model.js';
import type { PartnerCustomer, Store } from '../ports.js';
import { formatInstant } from '../views/format.js';

export interface Acceptance {
  readonly tenantId: string;
  readonly companyName: string;
  readonly defaultDomain: string;
  readonly at: string;
  readonly ambiguous: boolean;
  readonly candidates: readonly { readonly id: string; readonly scope: string; readonly customerName: string }[];
  /** `requestId` '' = "none of these" */
  readonly decided?: { readonly requestId: string; readonly by: string; readonly at: string } | undefined;
}

const OFFERED = 5;
const key = (tenantId: string) => `acceptance:${tenantId.toLowerCase()}`;
const postPrefix = (tenantId: string) => `acceptance-post:${tenantId.toLowerCase()}:`;

export async function loadAcceptance(store: Store, tenantId: string): Promise<Acceptance | undefined> {
  return (await store.state.get(key(tenantId))) as Acceptance | undefined;
}

/** The undecided acceptance whose customer has this default domain (acceptances waiting for a person are few). */
export async function findAcceptanceByDomain(store: Store, domain: string): Promise<Acceptance | undefined> {
  for (const k of await store.state.keys('acceptance:')) {
    const acceptance = (await store.state.get(k)) as Acceptance | undefined;
    if (acceptance && !acceptance.decided && acceptance.defaultDomain.toLowerCase() === domain.toLowerCase()) {
      return acceptance;
    }
  }
  return undefined;
}

/** Keep an undecided acceptance; a replay of its event leaves an existing record (decided or not) alone. */
export async function keepAcceptance(
  store: Store,
  customer: PartnerCustomer,
  candidates: readonly RelationshipRequest[],
  ambiguous: boolean,
  at: Date,
): Promise<Acceptance> {
  const existing = await loadAcceptance(store, customer.tenantId);
  if (existing) return existing;
  const acceptance: Acceptance = {
    tenantId: customer.tenantId.toLowerCase(),
    companyName: customer.companyName,
    defaultDomain: customer.domains[0] ?? '',
    at: at.toISOString(),
    ambiguous,
    candidates: candidates.slice(0, OFFERED).map((c) => ({ id: c.id, scope: c.scope, customerName: c.customerName })),
  };
  await store.state.put(key(customer.tenantId), { ...acceptance }, at);
  return acceptance;
}

export async function decideAcceptance(
  store: Store,
  acceptance: Acceptance,
  decided: NonNullable<Acceptance['decided']>,
  at: Date,
): Promise<Acceptance> {
  const next = { ...acceptance, decided };
  await store.state.put(key(acceptance.tenantId), next, at);
  return next;
}

/** Remember where an acceptance's notification was posted. */
export async function recordPost(store: Store, tenantId: string, location: CardLocation, at: Date): Promise<void> {
  await store.state.put(`${postPrefix(tenantId)}${location.platform}:${location.conversationId}`, { ...location }, at);
}

export async function postsOf(store: Store, tenantId: string): Promise<CardLocation[]> {
  const keys = await store.state.keys(postPrefix(tenantId));
  const posts = await Promise.all(keys.map((k) => store.state.get(k)));
  return posts.flatMap((p) => {
    const platform = p?.['platform'];
    const conversationId = p?.['conversationId'];
    const messageId = p?.['messageId'];
    return (platform === 'teams' || platform === 'slack') &&
      typeof conversationId === 'string' &&
      typeof messageId === 'string'
      ? [{ platform, conversationId, messageId }]
      : [];
  });
}

/**
 * The notification of an acceptance: the customer as Partner Center describes them and, until decided, one button
 * per candidate request and "None of these"; once decided, who decided what.
 */
export function acceptanceNotification(acceptance: Acceptance): NotificationModel {
  const { decided } = acceptance;
  const details = decided
    ? [
        decided.requestId
          ? `Linked to ${decided.requestId} by ${decided.by}, ${formatInstant(decided.at)}.`
          : `Marked as none of our open requests by ${decided.by}, ${formatInstant(decided.at)}.`,
      ]
    : [
        acceptance.ambiguous
          ? 'More than one open request matches; none was changed. Which one is it?'
          : acceptance.candidates.length > 0
            ? 'No open request matches for certain. Is it one of these?'
            : 'No open request matches this customer.',
      ];
  return {
    event: 'relationship.unmatched',
    tone: NOTIFICATION_RULES['relationship.unmatched'].tone,
    title: acceptance.ambiguous
      ? 'A customer accepted; more than one open request matches'
      : notificationTitle('relationship.unmatched'),
    requestId: decided?.requestId ?? '',
    customerName: acceptance.companyName || `Tenant ${acceptance.tenantId}`,
    facts: [
      { label: 'Registered name', value: acceptance.companyName || 'unknown' },
      { label: 'Default domain', value: acceptance.defaultDomain || 'unknown' },
      { label: 'Customer tenant', value: acceptance.tenantId },
    ],
    details,
    supportReminder: '',
    at: acceptance.at,
    atText: formatInstant(acceptance.at),
    choices: decided
      ? undefined
      : {
          tenantId: acceptance.tenantId,
          options: [
            ...acceptance.candidates.map((c) => ({
              requestId: c.id,
              scope: c.scope,
              label: `This is ${c.id} — ${c.customerName}`,
            })),
            { requestId: '', scope: '*', label: 'None of these' },
          ],
        },
  };
}
