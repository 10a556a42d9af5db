/**
 * A cancelled request withdraws its admin access (docs/behaviour.md#cancelling): the GDAP relationship is ended the
 * way Graph allows for its status — deleted while still `created`, terminated while active. Graph offers nothing
 * for a relationship waiting for the customer's approval: the link stays valid until it lapses, and the person
 * cancelling is told so (and is told again if the customer approves anyway).
 */
import type { CoreDeps } from '../commands/types.js';
import { isBotError, UpstreamError } from '../errors.js';
import type { Actor, RelationshipRequest } from '../model.js';
import { mutateRequest } from './mutate.js';
import { withoutGdapLink, type DraftSettings } from './gdap-link.js';
import { changeAdminAccess, type RequestChange } from './state-machine.js';

export type EndDeps = Pick<CoreDeps, 'store' | 'clock' | 'directory' | 'logger' | 'settings'>;

export const APPROVAL_LINK_STAYS =
  'The admin access (GDAP) approval link stays valid: Microsoft offers no way to withdraw a link the customer has not ' +
  'used yet (it lapses after 90 days). If the customer approves it anyway, the channel is told, with how to end it.';

/** What happened to the request's admin access, in one sentence ('' when there was none to end). */
export async function endAdminAccessOnCancel(
  deps: EndDeps,
  request: RelationshipRequest,
  actor: Actor,
): Promise<{ request: RelationshipRequest; said: string }> {
  const relationshipId = request.gdapRelationshipId;
  const live = request.adminAccess === 'pending' || request.adminAccess === 'granted';
  if (!deps.directory || !relationshipId || !live || request.status !== 'cancelled') return { request, said: '' };
  let outcome: Awaited<ReturnType<NonNullable<EndDeps['directory']>['endAdminAccess']>>;
  try {
    outcome = await deps.directory.endAdminAccess(relationshipId);
  } catch (err) {
    if (!(isBotError(err) && err instanceof UpstreamError && !err.retryable)) throw err;
    deps.logger.warn({ err, requestId: request.id }, 'admin access could not be ended with the cancelled request');
    return {
      request,
      said: `Its admin access (GDAP) could not be ended: ${err.message} End it in Partner Center (Customers → Admin relationships).`,
    };
  }
  if (outcome === 'not-possible') return { request, said: APPROVAL_LINK_STAYS };
  if (outcome === 'gone') return { request, said: '' };
  const at = deps.clock.now().toISOString();
  const note = outcome === 'deleted' ? 'withdrawn with the cancelled request' : 'terminated with the cancelled request';
  const { request: after } = await mutateRequest(deps.store.requests, request.id, (current) =>
    current.adminAccess === 'pending' || current.adminAccess === 'granted'
      ? ended(deps.settings, current, changeAdminAccess(current, 'revoked', actor, at, note))
      : null,
  );
  return {
    request: after,
    said:
      outcome === 'deleted'
        ? 'Its admin access (GDAP) request was withdrawn before the customer could approve it.'
        : 'Its admin access (GDAP) relationship was terminated.',
  };
}

/** A change that ends the request's admin access, with the dead approval link taken off the card and the draft. */
export function ended(
  settings: DraftSettings,
  request: RelationshipRequest,
  change: RequestChange | null,
): RequestChange | null {
  if (!change) return null;
  return { ...change, set: { ...change.set, ...withoutGdapLink(settings, request) } };
}
