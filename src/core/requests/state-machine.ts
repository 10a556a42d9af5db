import { IllegalTransitionError } from '../errors.js';
import type {
  Actor,
  AdminAccess,
  CardLocation,
  Draft,
  RelationshipRequest,
  Status,
  TimelineEntry,
  TimelineEvent,
} from '../model.js';

/** docs/behaviour.md#requests-and-their-states `status` table: the states each state may move to. */
export const STATUS_TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  draft: ['sent', 'cancelled', 'accepted'],
  sent: ['accepted', 'cancelled', 'expired'],
  accepted: ['removed'],
  cancelled: [],
  expired: [],
  removed: [],
};

/** docs/behaviour.md#requests-and-their-states `adminAccess` chain. */
export const ADMIN_ACCESS_TRANSITIONS: Readonly<Record<AdminAccess, readonly AdminAccess[]>> = {
  'not-requested': ['pending'],
  pending: ['granted', 'expired', 'revoked'],
  // asked again (docs/behaviour.md#asking-again): a new relationship, waiting for the customer
  granted: ['revoked', 'expired', 'pending'],
  revoked: ['pending'],
  expired: ['pending'],
};

/** The fields a change may set; everything else (id, scope, requester, createdAt) is fixed at creation. */
export type MutableFields = Pick<
  RelationshipRequest,
  | 'status'
  | 'adminAccess'
  | 'draft'
  | 'card'
  | 'customerTenantId'
  | 'customerRecord'
  | 'tenantDomain'
  | 'gdapLink'
  | 'linkVersions'
  | 'gdapRelationshipId'
  | 'gdapRoles'
  | 'gdapEndsAt'
  | 'gdapAutoExtends'
  | 'adminAccessProblem'
  | 'accessAssignments'
  | 'notices'
  | 'resellerLink'
>;

/**
 * One stored change of a request: fields to set and timeline entries to append, applied by a store as a single
 * atomic conditional update (version check), which also bumps `version` and sets `updatedAt = at`.
 */
export interface RequestChange {
  readonly at: string;
  readonly set: Partial<MutableFields>;
  readonly append: readonly TimelineEntry[];
}

const STATUS_WORDS: Readonly<Record<Status, { is: string; become: string }>> = {
  draft: { is: 'still a draft', become: 'turned back into a draft' },
  sent: { is: 'already marked as sent', become: 'marked as sent' },
  accepted: { is: 'already accepted by the customer', become: 'marked as accepted' },
  cancelled: { is: 'cancelled', become: 'cancelled' },
  expired: { is: 'expired', become: 'marked as expired' },
  removed: { is: 'removed (the customer ended the relationship)', become: 'marked as removed' },
};

const ADMIN_WORDS: Readonly<Record<AdminAccess, string>> = {
  'not-requested': 'not requested',
  pending: 'pending approval',
  granted: 'granted',
  revoked: 'revoked',
  expired: 'expired',
};

/**
 * Move `status` to `to`. Returns `null` when the request is already there (a replay: nothing to store),
 * throws `IllegalTransitionError` for a move the table does not allow.
 */
export function changeStatus(
  request: RelationshipRequest,
  to: Status,
  actor: Actor,
  at: string,
  note?: string,
): RequestChange | null {
  const from = request.status;
  const refusal = `Request ${request.id} is ${STATUS_WORDS[from].is}, so it can't be ${STATUS_WORDS[to].become}.`;
  if (!isMove('status', STATUS_TRANSITIONS, from, to, refusal)) return null;
  return { at, set: { status: to }, append: [entry({ type: 'status', from, to }, actor, at, note)] };
}

/** Move `adminAccess` to `to`; same replay and refusal rules as `changeStatus`. */
export function changeAdminAccess(
  request: RelationshipRequest,
  to: AdminAccess,
  actor: Actor,
  at: string,
  note?: string,
  relationshipId?: string,
): RequestChange | null {
  const from = request.adminAccess;
  const refusal = `Admin access for request ${request.id} is ${ADMIN_WORDS[from]}; it can't become ${ADMIN_WORDS[to]}.`;
  if (!isMove('adminAccess', ADMIN_ACCESS_TRANSITIONS, from, to, refusal)) return null;
  const event = relationshipId
    ? { type: 'adminAccess' as const, from, to, relationshipId }
    : { type: 'adminAccess' as const, from, to };
  return { at, set: { adminAccess: to }, append: [entry(event, actor, at, note)] };
}

/** True for an allowed move, false for a replay (already there); throws for a move the table forbids. */
function isMove<S extends string>(
  machine: IllegalTransitionError['machine'],
  table: Readonly<Record<S, readonly S[]>>,
  from: S,
  to: S,
  refusal: string,
): boolean {
  if (from === to) return false;
  if (!table[from].includes(to)) throw new IllegalTransitionError(machine, from, to, refusal);
  return true;
}

/** Store an edited draft (already checked by `checkDraftEdit`). Saving the same text again is a no-op. */
export function changeDraft(
  request: RelationshipRequest,
  draft: Draft,
  actor: Actor,
  at: string,
): RequestChange | null {
  if (draft.subject === request.draft.subject && draft.body === request.draft.body) return null;
  return { at, set: { draft }, append: [entry({ type: 'draft-saved' }, actor, at)] };
}

/** Remember where the card was posted. Bookkeeping, not a state change: no timeline entry. */
export function changeCardLocation(request: RelationshipRequest, card: CardLocation, at: string): RequestChange | null {
  const current = request.card;
  if (
    current?.platform === card.platform &&
    current.conversationId === card.conversationId &&
    current.messageId === card.messageId
  ) {
    return null;
  }
  return { at, set: { card }, append: [] };
}

/** Apply a change in memory exactly as the stores do (used by the embedded store's tests and by callers). */
export function applyChange(request: RelationshipRequest, change: RequestChange): RelationshipRequest {
  return {
    ...request,
    ...change.set,
    timeline: [...request.timeline, ...change.append],
    updatedAt: change.at,
    version: request.version + 1,
  };
}

function entry(event: TimelineEvent, actor: Actor, at: string, note?: string): TimelineEntry {
  return note === undefined ? { ...event, at, actor } : { ...event, at, actor, note };
}

export function describeStatus(status: Status): string {
  return STATUS_LABELS[status];
}

export function describeAdminAccess(access: AdminAccess): string {
  return ADMIN_LABELS[access];
}

const STATUS_LABELS: Readonly<Record<Status, string>> = {
  draft: 'Draft — email not sent yet',
  sent: 'Sent — waiting for the customer',
  accepted: 'Accepted by the customer',
  cancelled: 'Cancelled',
  expired: 'Expired — no answer in time',
  removed: 'Relationship removed',
};

const ADMIN_LABELS: Readonly<Record<AdminAccess, string>> = {
  'not-requested': 'Not requested',
  pending: 'Pending customer approval',
  granted: 'Granted',
  revoked: 'Revoked',
  expired: 'Expired',
};
