/**
 * Turn one recorded event into state and a notification: find the request it is about, move its state (a replay is
 * a no-op and still notifies, so a crash between the two never loses the notification), and say who hears about it.
 */
import { IllegalTransitionError, UpstreamError } from '../errors.js';
import { isOpen, OPEN_STATUSES, type Actor, type RelationshipRequest } from '../model.js';
import {
  notificationTitle,
  requestNotification,
  NOTIFICATION_RULES,
  type NotificationModel,
} from '../notifications/model.js';
import type { Clock, Logger, PartnerCustomer, PartnerDirectory, Store } from '../ports.js';
import { matchCustomer, type MatchResult } from '../requests/matching.js';
import { mutateRequest } from '../requests/mutate.js';
import { changeAdminAccess, changeStatus, type RequestChange } from '../requests/state-machine.js';
import { formatInstant } from '../views/format.js';
import {
  acceptanceNotification,
  decideAcceptance,
  findAcceptanceByDomain,
  keepAcceptance,
  loadAcceptance,
} from './acceptances.js';
import { accessChanged, accessReady, adminTerms, assignmentLine } from './handle-access.js';
import { knownCustomerKey, type PartnerEvent } from './events.js';
import type { CoreDeps } from '../commands/types.js';
import { newJob } from '../outbox/types.js';
import { assignmentSettings, plannedAssignments } from '../requests/access-assignments.js';
import { ended } from '../requests/end-admin-access.js';

export interface HandlerDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly directory?: PartnerDirectory | undefined;
  /** the access assignments to make on approval (none when absent) */
  readonly settings?: Pick<CoreDeps['settings'], 'gdap' | 'draftTemplate' | 'partnerName'> | undefined;
}

export interface EventOutcome {
  readonly notification?: NotificationModel | undefined;
  /** every subscribed channel, or only the conversation the request was made in (reminders) */
  readonly audience: 'subscribers' | 'origin';
  /** the request whose card shows the new state */
  readonly request?: RelationshipRequest | undefined;
  /** audience `origin`: the request whose conversation hears it */
  readonly origin?: RelationshipRequest | undefined;
  /** the tenant whose undecided acceptance was decided: its notifications change in place */
  readonly acceptanceChanged?: string | undefined;
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
    case 'access-changed':
      return accessChanged(deps, event.relationshipId);
    case 'access-ready':
      return accessReady(deps, event.relationshipId);
    case 'admin-terms':
      return adminTerms(deps, event);
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
  const now = deps.clock.now();
  const at = now.toISOString();
  const candidates = await acceptanceCandidates(deps.store, tenantId);
  const match = matchCustomer(customer, candidates);
  await deps.store.state.put(
    knownCustomerKey(tenantId),
    { companyName: customer.companyName, domains: [...customer.domains] },
    now,
  );
  if (match.kind !== 'matched') return askAPerson(deps, customer, match, candidates);
  try {
    const { request } = await mutateRequest(deps.store.requests, match.request.id, (current) =>
      acceptedBy(current, customer, WATCHER, at, `matched by ${match.by}`),
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
    return askAPerson(deps, customer, { kind: 'unmatched', candidates: [match.request] }, candidates);
  }
}

/** The request accepted by this customer: status, tenant and the customer's record, as one change. */
export function acceptedBy(
  current: RelationshipRequest,
  customer: PartnerCustomer,
  actor: Actor,
  at: string,
  note: string,
): RequestChange | null {
  const record = { companyName: customer.companyName, defaultDomain: customer.domains[0] ?? '' };
  return combine(
    at,
    changeStatus(current, 'accepted', actor, at, note),
    current.customerTenantId === customer.tenantId
      ? null
      : {
          at,
          set: { customerTenantId: customer.tenantId },
          append: [{ type: 'customer-linked', tenantId: customer.tenantId, at, actor, note }],
        },
    current.customerRecord?.companyName === record.companyName &&
      current.customerRecord.defaultDomain === record.defaultDomain
      ? null
      : { at, set: { customerRecord: record }, append: [] },
  );
}

/**
 * An acceptance the bot cannot tie to one request: kept, and announced with one button per candidate (the
 * suggestions, else the newest open requests) and "None of these".
 */
async function askAPerson(
  deps: HandlerDeps,
  customer: PartnerCustomer,
  match: Exclude<MatchResult<RelationshipRequest>, { kind: 'matched' }>,
  candidates: readonly RelationshipRequest[],
): Promise<EventOutcome> {
  const offered = match.candidates.length > 0 ? match.candidates : candidates.filter((c) => isOpen(c));
  const acceptance = await keepAcceptance(deps.store, customer, offered, match.kind === 'ambiguous', deps.clock.now());
  // A GDAP approval handled at the same moment may have just tied a request to this tenant without seeing this
  // acceptance yet: each side looks after its own write, so one of them always finds the other.
  const tied = (await deps.store.requests.findByCustomerTenantId(customer.tenantId.toLowerCase())).filter(isOpen);
  const [only] = tied;
  if (!acceptance.decided && tied.length === 1 && only) {
    const at = deps.clock.now().toISOString();
    const request = await acceptLate(deps, only, at, 'GDAP approval');
    if (request) {
      return {
        notification: requestNotification('relationship.accepted', request, at, [
          `Customer tenant: ${customer.tenantId}`,
          'Recognised by tenant id (the customer approved admin access).',
        ]),
        audience: 'subscribers',
        request,
      };
    }
  }
  return { notification: acceptanceNotification(acceptance), audience: 'subscribers' };
}

/** Open requests everywhere, plus any already linked to this tenant (so a replay finds the request it accepted). */
async function acceptanceCandidates(store: Store, tenantId: string): Promise<RelationshipRequest[]> {
  const open = await store.requests.list({ statuses: OPEN_STATUSES, limit: MATCH_SCAN_LIMIT });
  const linked = (await store.requests.findByCustomerTenantId(tenantId.toLowerCase())).filter(
    (r) => r.status === 'accepted',
  );
  return [...linked, ...open.filter((r) => !linked.some((l) => l.id === r.id))];
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
        tone: NOTIFICATION_RULES['relationship.removed'].tone,
        requestId: '',
        customerName: companyName || `Tenant ${tenantId}`,
        facts: [{ label: 'Customer tenant', value: tenantId }],
        details: [],
        supportReminder: '',
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
  let tenantId = event.customerTenantId;
  let autoExtends: boolean | undefined;
  if (event.to === 'granted' && (!endsAt || !tenantId)) {
    const relationship = await deps.directory?.gdapRelationship(event.relationshipId);
    endsAt ??= relationship?.endDateTime;
    tenantId ??= relationship?.customerTenantId;
    if (relationship) autoExtends = relationship.autoExtendDuration === 'P180D';
  }
  const at = deps.clock.now().toISOString();
  const planned = assignmentSettings({ settings: deps.settings ?? {} });
  try {
    let { request } = await mutateRequest(deps.store.requests, found.id, (current) =>
      combine(
        at,
        event.to === 'granted' || !deps.settings
          ? changeAdminAccess(current, event.to, WATCHER, at)
          : ended(deps.settings, current, changeAdminAccess(current, event.to, WATCHER, at)),
        endsAt && endsAt !== current.gdapEndsAt ? { at, set: { gdapEndsAt: endsAt }, append: [] } : null,
        autoExtends !== undefined && autoExtends !== current.gdapAutoExtends
          ? { at, set: { gdapAutoExtends: autoExtends }, append: [] }
          : null,
        event.to === 'granted' ? tenantFromApproval(current, tenantId, at) : null,
        event.to === 'granted' && planned.length > 0 && !current.accessAssignments && current.status !== 'cancelled'
          ? { at, set: { accessAssignments: plannedAssignments(planned) }, append: [] }
          : null,
      ),
    );
    if (event.to === 'granted' && planned.length > 0 && request.status !== 'cancelled') {
      const job = newJob(
        'access-assignments',
        `assign:${event.relationshipId}`,
        { requestId: request.id },
        deps.clock.now(),
      );
      await deps.store.outbox.enqueue([job], deps.clock.now());
    }
    const event_ =
      event.to === 'granted' ? 'admin.granted' : event.to === 'revoked' ? 'admin.revoked' : 'admin.expired';
    const details =
      request.gdapEndsAt && event.to === 'granted' ? [`Admin access ends ${formatInstant(request.gdapEndsAt)}.`] : [];
    if (
      event.to === 'granted' &&
      tenantId &&
      request.customerTenantId &&
      request.customerTenantId.toLowerCase() !== tenantId.toLowerCase()
    ) {
      details.push(
        `Approved by tenant ${tenantId}, not by ${request.customerTenantId}, the tenant that accepted the reseller ` +
          'relationship: check with the customer which organisation this is.',
      );
    }
    if (event.to === 'granted' && request.status === 'cancelled') {
      details.push(
        'This request was cancelled, but the customer approved admin access anyway. If you no longer need it, ' +
          'end it with the button below (or in Partner Center: Customers → the customer → Admin relationships).',
      );
    } else if (event.to === 'granted') {
      details.push(assignmentLine(planned.length));
    }
    const late = event.to === 'granted' ? await acceptLate(deps, request, at, 'GDAP approval') : undefined;
    if (late) {
      request = late;
      details.push('The customer had accepted the reseller relationship already: same tenant, now linked.');
    }
    return {
      notification: requestNotification(event_, request, at, details),
      audience: 'subscribers',
      request,
      ...(late?.customerTenantId ? { acceptanceChanged: late.customerTenantId } : {}),
    };
  } catch (err) {
    if (!(err instanceof IllegalTransitionError)) throw err;
    deps.logger.warn({ requestId: found.id, to: event.to, err }, 'GDAP change does not fit the request; ignored');
    return { audience: 'subscribers' };
  }
}

/**
 * The tenant that approved the request's GDAP relationship, when no tenant is known yet: the first time we know for
 * certain who the customer is. A tenant that accepted the reseller relationship stays; a different approver is told.
 */
function tenantFromApproval(
  current: RelationshipRequest,
  tenantId: string | undefined,
  at: string,
): RequestChange | null {
  if (!tenantId || current.customerTenantId) return null;
  return {
    at,
    set: { customerTenantId: tenantId },
    append: [{ type: 'customer-linked', tenantId, at, actor: WATCHER, note: 'approved admin access (GDAP)' }],
  };
}

/**
 * An open request whose tenant just became known (a GDAP approval, or staff giving it) may be the one an earlier,
 * undecided acceptance was about: accept it now, and decide that acceptance. With only a `*.onmicrosoft.com` domain
 * known, the undecided acceptance with that default domain.
 */
export async function acceptLate(
  deps: Pick<HandlerDeps, 'store' | 'clock'>,
  request: RelationshipRequest,
  at: string,
  how = 'same tenant approved admin access',
): Promise<RelationshipRequest | undefined> {
  if (!isOpen(request)) return undefined;
  const acceptance = request.customerTenantId
    ? await loadAcceptance(deps.store, request.customerTenantId)
    : request.tenantDomain
      ? await findAcceptanceByDomain(deps.store, request.tenantDomain)
      : undefined;
  if (!acceptance || acceptance.decided) return undefined;
  const customer = {
    tenantId: acceptance.tenantId,
    companyName: acceptance.companyName,
    domains: acceptance.defaultDomain ? [acceptance.defaultDomain] : [],
    relationshipToPartner: 'reseller',
  };
  const note = request.customerTenantId ? 'matched by tenant' : 'matched by domain';
  const { request: accepted } = await mutateRequest(deps.store.requests, request.id, (current) =>
    acceptedBy(current, customer, WATCHER, at, `${note} (${how})`),
  );
  await decideAcceptance(
    deps.store,
    acceptance,
    { requestId: request.id, by: `the bot (${how})`, at },
    deps.clock.now(),
  );
  return accepted;
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
      `Admin access ends within ${days} days${request.gdapEndsAt ? `, on ${formatInstant(request.gdapEndsAt)}` : ''}. Ask the customer to extend it, or request admin access again: a new approval link for the customer.`,
    ]),
    audience: 'subscribers',
  };
}

/** Optional changes as one stored change (one version bump). */
export function combine(at: string, ...changes: (RequestChange | null)[]): RequestChange | null {
  const present = changes.filter((c): c is RequestChange => c !== null);
  if (present.length === 0) return null;
  return {
    at,
    set: Object.assign({}, ...present.map((c) => c.set)) as RequestChange['set'],
    append: present.flatMap((c) => c.append),
  };
}
