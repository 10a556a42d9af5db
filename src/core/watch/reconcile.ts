/**
 * The reconciler (docs/partner-center.md): under a lease (one instance at a time), page through every customer and every GDAP
 * relationship, compare with what is stored, and record the same events the webhook would. It only records events;
 * state changes happen when the outbox handles them, so a run that fails half-way (throttled, timed out) has changed
 * nothing it cannot simply redo next time.
 */
import { OPEN_STATUSES, type RelationshipRequest } from '../model.js';
import { allActive } from '../requests/access-assignments.js';
import type { Clock, GdapRelationship, GdapStatus, Logger, PartnerDirectory, Store } from '../ports.js';
import { matchCustomer } from '../requests/matching.js';
import { ADMIN_ACCESS_TRANSITIONS } from '../requests/state-machine.js';
import { readAhead } from './read-ahead.js';
import {
  KNOWN_CUSTOMER_PREFIX,
  knownCustomerKey,
  recordEvents,
  type AdminChange,
  type PartnerEvent,
} from './events.js';

export const RECONCILER_LEASE = 'reconciler';
/** customer pages fetched ahead of the one being compared (500 customers each) */
const READ_AHEAD_PAGES = 50;
const LEASE_MS = 10 * 60_000;
/** a pending relationship missing from the listing this long after it was asked for is gone, not just new */
const GONE_AFTER_MS = 60 * 60_000;
/** set after the first complete run: customers seen then are the partner's existing book, not news */
export const BASELINE_KEY = 'reconciler:baseline';

export interface ReconcileReport {
  readonly ran: boolean;
  readonly customers: number;
  readonly relationships: number;
  readonly recorded: number;
}

export async function reconcile(
  deps: { store: Store; clock: Clock; logger: Logger; directory: PartnerDirectory },
  owner: string,
): Promise<ReconcileReport> {
  const { store, clock, directory } = deps;
  if (!(await store.leases.acquire(RECONCILER_LEASE, owner, clock.now(), LEASE_MS))) {
    deps.logger.info({}, 'reconciler: another instance holds the lease; skipping this run');
    return { ran: false, customers: 0, relationships: 0, recorded: 0 };
  }
  try {
    // Read while the first pages are on their way (100k known customers take a while), and keep paging meanwhile.
    const stored = readStored(store);
    stored.catch(() => undefined); // a paging failure first must not leave this rejection unhandled
    const events: PartnerEvent[] = [];
    const seen = new Set<string>();
    let customers = 0;

    for await (const page of readAhead(directory.customers(), READ_AHEAD_PAGES)) {
      const { baselineDone, known, open } = await stored;
      for (const customer of page) {
        customers++;
        if (customer.relationshipToPartner === 'none') continue;
        const tenantId = customer.tenantId.toLowerCase();
        seen.add(tenantId);
        if (known.has(tenantId)) continue;
        // On the very first run the whole existing book appears at once: only customers an open request waits for
        // are news; the rest are remembered silently.
        if (baselineDone || matchCustomer(customer, open).kind !== 'unmatched') {
          events.push({ kind: 'customer-accepted', tenantId: customer.tenantId, customer });
        } else {
          await store.state.put(
            knownCustomerKey(customer.tenantId),
            { companyName: customer.companyName, domains: [...customer.domains] },
            clock.now(),
          );
        }
      }
    }
    const { baselineDone, known, watched } = await stored;
    for (const tenantId of known) {
      if (seen.has(tenantId)) continue;
      // only a removed customer's record is read: its name is in the notification
      const value = await store.state.get(knownCustomerKey(tenantId));
      const companyName = typeof value?.['companyName'] === 'string' ? value['companyName'] : '';
      events.push({ kind: 'customer-removed', tenantId, companyName });
    }

    let relationships = 0;
    const listedIds = new Set<string>();
    const started = clock.now().getTime();
    for await (const page of directory.gdapRelationships()) {
      for (const relationship of page) {
        relationships++;
        const request = watched.get(relationship.id);
        listedIds.add(relationship.id);
        const terms = request ? termsChanged(request, relationship) : undefined;
        if (terms) events.push(terms);
        const to = adminChangeFor(relationship.status);
        if (!request || !to || !ADMIN_ACCESS_TRANSITIONS[request.adminAccess].includes(to)) continue;
        events.push({
          kind: 'admin-changed',
          relationshipId: relationship.id,
          to,
          endDateTime: relationship.endDateTime,
          customerTenantId: relationship.customerTenantId,
        });
      }
    }

    // Microsoft removes a relationship nobody approved within 90 days, without a webhook: one we asked for long
    // enough ago (so it cannot be too new for the listing) that is no longer listed has expired.
    for (const request of watched.values()) {
      const relationshipId = request.gdapRelationshipId;
      if (request.adminAccess !== 'pending' || !relationshipId || listedIds.has(relationshipId)) continue;
      const askedAt = request.timeline.filter((t) => t.type === 'adminAccess' && t.to === 'pending').at(-1)?.at;
      if (askedAt && started - Date.parse(askedAt) >= GONE_AFTER_MS) {
        events.push({ kind: 'admin-changed', relationshipId, to: 'expired' });
      }
    }
    events.push(...(await assignmentChanges(directory, watched.values())));

    const recorded = await recordEvents(store, events, 'reconciler', clock.now());
    if (!baselineDone) await store.state.put(BASELINE_KEY, { at: clock.now().toISOString() }, clock.now());
    deps.logger.info({ customers, relationships, detected: events.length, recorded }, 'reconciler: run finished');
    return { ran: true, customers, relationships, recorded };
  } finally {
    await store.leases.release(RECONCILER_LEASE, owner);
  }
}

/** An approved relationship whose end date or auto-extend is not what the request last read. */
function termsChanged(request: RelationshipRequest, relationship: GdapRelationship): PartnerEvent | undefined {
  if (request.adminAccess !== 'granted') return undefined;
  const autoExtends = relationship.autoExtendDuration === 'P180D';
  const endDateTime = relationship.endDateTime ?? request.gdapEndsAt;
  if (endDateTime === request.gdapEndsAt && autoExtends === (request.gdapAutoExtends ?? false)) return undefined;
  return { kind: 'admin-terms', relationshipId: relationship.id, endDateTime, autoExtends };
}

/**
 * Requests whose access assignments are not all active yet (a lost webhook must not leave them "being assigned"):
 * what Graph lists now, as one event per distinct sight, so seeing the same statuses again records nothing.
 */
async function assignmentChanges(
  directory: PartnerDirectory,
  requests: Iterable<RelationshipRequest>,
): Promise<PartnerEvent[]> {
  const events: PartnerEvent[] = [];
  for (const request of requests) {
    const relationshipId = request.gdapRelationshipId;
    if (request.adminAccess !== 'granted' || !relationshipId || !request.accessAssignments) continue;
    if (allActive(request)) continue;
    const listed = await directory.accessAssignments(relationshipId);
    const sight = listed
      .map((a) => `${a.groupId}=${a.status}`)
      .sort()
      .join(',');
    events.push({ kind: 'access-changed', relationshipId, mark: `seen/${sight}` });
  }
  return events;
}

/** What a run compares the pages with. */
async function readStored(store: Store) {
  const [baseline, known, open, watching] = await Promise.all([
    store.state.get(BASELINE_KEY),
    store.state.keys(KNOWN_CUSTOMER_PREFIX),
    store.requests.list({ statuses: OPEN_STATUSES, limit: 5_000 }),
    store.requests.list({ adminAccess: ['pending', 'granted'], limit: 20_000 }),
  ]);
  const watched = new Map<string, RelationshipRequest>();
  for (const r of watching) if (r.gdapRelationshipId) watched.set(r.gdapRelationshipId, r);
  return {
    baselineDone: baseline !== undefined,
    known: new Set(known.map((key) => key.slice(KNOWN_CUSTOMER_PREFIX.length))),
    open,
    watched,
  };
}

/** Graph status → the admin-access state it means (docs/partner-center.md#gdap-relationships); in-between states mean nothing yet. */
export function adminChangeFor(status: GdapStatus): AdminChange | undefined {
  switch (status) {
    case 'active':
    case 'expiring':
      return 'granted';
    case 'terminated':
      return 'revoked';
    case 'expired':
      return 'expired';
    default:
      return undefined;
  }
}
