/**
 * Turn one recorded event into state and a notification: find the request it is about, move its state (a replay is
 * a no-op and still notifies, so a crash between the two never loses the notification), and say who hears about it.
 */
import { IllegalTransitionError, UpstreamError } from '../errors.js';
import { isOpen, OPEN_STATUSES, type Actor, type RelationshipRequest } from '../model.js';
import {
  notificationTitle,
  requestNotification,
  SUPPORT_REMINDER,
  type NotificationModel,
} from '../notifications/model.js';
import type { Clock, Logger, PartnerCustomer, PartnerDirectory, Store } from '../ports.js';
import { matchCustomer, type MatchResult } from '../requests/matching.js';
import { mutateRequest } from '../requests/mutate.js';
import { changeAdminAccess, changeStatus, type RequestChange } from '../requests/state-machine.js';
import { formatInstant } from '../views/format.js';
import { knownCustomerKey, type PartnerEvent } from './events.js';

export interface HandlerDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly directory?: PartnerDirectory | undefined;
}

export interface EventOutcome {
  readonly notification?: NotificationModel | undefined;
  /** every subscribed channel, or only the conversation the request was made in (reminders) */
  readonly audience: 'subscribers' | 'origin';
  /** the request whose card shows the new state */
  readonly request?: RelationshipRequest | undefined;
  /** audience `origin`: the request whose conversation hears it */
  readonly origin?: RelationshipRequest | undefined;
}

export const WATCHER: Actor = { kind: 'system', name: 'Partner Center' };
const REMINDERS: Actor = { kind: 'system', name: 'Reminders' };
const MATCH_SCAN_LIMIT = 5_000;
/** how long a freshly accepted customer may stay invisible to GET-by-id (docs/partner-center.md#customers: ~90 s) before we give up */
export const CUSTOMER_LOOKUP_ATTEMPTS = 8;

export async function handleEvent(deps: HandlerDeps, event: PartnerEvent, attempt: number): Promise<EventOutcome> {
  switch (event.kind) {
    case 'customer-accepted':
      return customerAccepted(deps, event.tenantId, event.customer, attempt);
    case 'customer-removed':
      return customerRemoved(deps, event.tenantId, event.companyName);
    case 'admin-changed':
      return adminChanged(deps, event);
    case 'request-notice':
      return requestNotice(deps, event.requestId, event.notice);
  }
}

async function customerAccepted(
  deps: HandlerDeps,
  tenantId: string,
  known: PartnerCustomer | undefined,
  attempt: number,
): Promise<EventOutcome> {
  let customer = known ?? (await deps.directory?.customer(tenantId));
  if (!customer) {
    if (attempt < CUSTOMER_LOOKUP_ATTEMPTS) {
      throw new UpstreamError(`Partner Center does not show customer ${tenantId} yet.`, 'Partner Center');
    }
    customer = { tenantId, companyName: '', domains: [], relationshipToPartner: 'reseller' };
  }
  const at = deps.clock.now().toISOString();
  const candidates = await acceptanceCandidates(deps.store, tenantId);
  const match = matchCustomer(customer, candidates);
  await deps.store.state.put(
    knownCustomerKey(tenantId),
    { companyName: customer.companyName, domains: [...customer.domains] },
    deps.clock.now(),
  );
  if (match.kind !== 'matched') return { notification: unmatched(customer, match, at), audience: 'subscribers' };
  try {
    const { request } = await mutateRequest(deps.store.requests, match.request.id, (current) =>
      combine(
        at,
        changeStatus(current, 'accepted', WATCHER, at, `matched by ${match.by}`),
        current.customerTenantId === customer.tenantId
          ? null
          : {
              at,
              set: { customerTenantId: customer.tenantId },
              append: [{ type: 'customer-linked', tenantId: customer.tenantId, at, actor: WATCHER }],
            },
      ),
    );
    return {
      notification: requestNotification('relationship.accepted', request, at, [
        `Customer tenant: ${customer.tenantId}`,
        `Recognised by ${match.by === 'tenant' ? 'tenant id' : match.by}.`,
      ]),
      audience: 'subscribers',
      request,
    };
  } catch (err) {
    // e.g. cancelled a moment ago: still say that the customer accepted, and which request it looked like
    if (!(err instanceof IllegalTransitionError)) throw err;
    return {
      notification: unmatched(customer, { kind: 'unmatched', candidates: [match.request] }, at),
      audience: 'subscribers',
    };
  }
}

/** Open requests everywhere, plus any already linked to this tenant (so a replay finds the request it accepted). */
async function acceptanceCandidates(store: Store, tenantId: string): Promise<RelationshipRequest[]> {
  const open = await store.requests.list({ statuses: OPEN_STATUSES, limit: MATCH_SCAN_LIMIT });
  const linked = (await store.requests.findByCustomerTenantId(tenantId.toLowerCase())).filter(
    (r) => r.status === 'accepted',
  );
  return [...linked, ...open.filter((r) => !linked.some((l) => l.id === r.id))];
}

function unmatched(
  customer: PartnerCustomer,
  match: Exclude<MatchResult<RelationshipRequest>, { kind: 'matched' }>,
  at: string,
): NotificationModel {
  const ambiguous = match.kind === 'ambiguous';
  const details = [
    ambiguous
      ? `More than one open request matches by ${match.by}; none was changed. Candidates:`
      : match.candidates.length > 0
        ? 'No open request matches exactly. Possibly one of:'
        : 'No open request matches this customer.',
    ...match.candidates.map(
      (c) => `${c.id} — ${c.customerName} (${c.contactEmail}), requested by ${c.requester.name}, ${c.status}`,
    ),
  ];
  return {
    event: 'relationship.unmatched',
    title: ambiguous
      ? 'A customer accepted; more than one open request matches'
      : notificationTitle('relationship.unmatched'),
    requestId: '',
    customerName: customer.companyName || `Tenant ${customer.tenantId}`,
    facts: [
      { label: 'Customer tenant', value: customer.tenantId },
      { label: 'Domains', value: customer.domains.join(', ') || 'unknown' },
    ],
    details,
    supportReminder: '',
    at,
    atText: formatInstant(at),
  };
}

async function customerRemoved(deps: HandlerDeps, tenantId: string, companyName: string): Promise<EventOutcome> {
  const at = deps.clock.now().toISOString();
  const linked = (await deps.store.requests.findByCustomerTenantId(tenantId.toLowerCase())).filter(
    (r) => r.status === 'accepted' || r.status === 'removed',
  );
  await deps.store.state.delete(knownCustomerKey(tenantId));
  const [newest] = linked;
  if (!newest) {
    return {
      notification: {
        event: 'relationship.removed',
        title: notificationTitle('relationship.removed'),
        requestId: '',
        customerName: companyName || `Tenant ${tenantId}`,
        facts: [{ label: 'Customer tenant', value: tenantId }],
        details: [],
        supportReminder: SUPPORT_REMINDER,
        at,
        atText: formatInstant(at),
      },
      audience: 'subscribers',
    };
  }
  const { request } = await mutateRequest(deps.store.requests, newest.id, (current) =>
    changeStatus(current, 'removed', WATCHER, at),
  );
  return { notification: requestNotification('relationship.removed', request, at), audience: 'subscribers', request };
}

async function adminChanged(
  deps: HandlerDeps,
  event: Extract<PartnerEvent, { kind: 'admin-changed' }>,
): Promise<EventOutcome> {
  const found = await deps.store.requests.findByGdapRelationshipId(event.relationshipId);
  if (!found) {
    deps.logger.info(
      { relationshipId: event.relationshipId },
      'GDAP change for a relationship no request made; ignored',
    );
    return { audience: 'subscribers' };
  }
  let endsAt = event.endDateTime;
  if (event.to === 'granted' && !endsAt)
    endsAt = (await deps.directory?.gdapRelationship(event.relationshipId))?.endDateTime;
  const at = deps.clock.now().toISOString();
  try {
    const { request } = await mutateRequest(deps.store.requests, found.id, (current) =>
      combine(
        at,
        changeAdminAccess(current, event.to, WATCHER, at),
        endsAt && endsAt !== current.gdapEndsAt ? { at, set: { gdapEndsAt: endsAt }, append: [] } : null,
      ),
    );
    const event_ =
      event.to === 'granted' ? 'admin.granted' : event.to === 'revoked' ? 'admin.revoked' : 'admin.expired';
    const details =
      request.gdapEndsAt && event.to === 'granted' ? [`Admin access ends ${formatInstant(request.gdapEndsAt)}.`] : [];
    return { notification: requestNotification(event_, request, at, details), audience: 'subscribers', request };
  } catch (err) {
    if (!(err instanceof IllegalTransitionError)) throw err;
    deps.logger.warn({ requestId: found.id, to: event.to, err }, 'GDAP change does not fit the request; ignored');
    return { audience: 'subscribers' };
  }
}

async function requestNotice(
  deps: HandlerDeps,
  requestId: string,
  notice: Extract<PartnerEvent, { kind: 'request-notice' }>['notice'],
): Promise<EventOutcome> {
  const at = deps.clock.now().toISOString();
  const existing = await deps.store.requests.get(requestId);
  if (!existing) return { audience: 'origin' };
  const mark = (current: RelationshipRequest): RequestChange | null =>
    current.notices?.includes(notice)
      ? null
      : { at, set: { notices: [...(current.notices ?? []), notice] }, append: [] };
  if (notice === 'expired') {
    try {
      const { request } = await mutateRequest(deps.store.requests, requestId, (current) =>
        combine(at, changeStatus(current, 'expired', REMINDERS, at), mark(current)),
      );
      return { notification: requestNotification('request.expired', request, at), audience: 'subscribers', request };
    } catch (err) {
      if (!(err instanceof IllegalTransitionError)) throw err;
      return { audience: 'subscribers' }; // answered or cancelled meanwhile
    }
  }
  const { request } = await mutateRequest(deps.store.requests, requestId, mark);
  if (notice === 'reminder') {
    if (!isOpen(request)) return { audience: 'origin' };
    const lead =
      request.status === 'draft'
        ? 'The invitation email has not been marked as sent yet.'
        : 'The customer has not accepted the invitation yet. Consider following up.';
    return {
      notification: requestNotification('request.reminder', request, at, [lead]),
      audience: 'origin',
      origin: request,
    };
  }
  const days = notice === 'expiring-7' ? 7 : 30;
  if (request.adminAccess !== 'granted') return { audience: 'subscribers' };
  return {
    notification: requestNotification('admin.expiring', request, at, [
      `Admin access ends within ${days} days${request.gdapEndsAt ? `, on ${formatInstant(request.gdapEndsAt)}` : ''}. Ask the customer to extend it or approve a new relationship.`,
    ]),
    audience: 'subscribers',
  };
}

/** Two optional changes as one stored change (one version bump). */
function combine(at: string, ...changes: (RequestChange | null)[]): RequestChange | null {
  const present = changes.filter((c): c is RequestChange => c !== null);
  if (present.length === 0) return null;
  return {
    at,
    set: Object.assign({}, ...present.map((c) => c.set)) as RequestChange['set'],
    append: present.flatMap((c) => c.append),
  };
}
