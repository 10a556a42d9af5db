import type { CoreDeps } from '../commands/types.js';
import { IllegalTransitionError } from '../errors.js';
import type { RelationshipRequest } from '../model.js';
import { againReason, requestAdminAccess } from '../requests/admin-access.js';
import { actorOf, loadForAction } from './load.js';
import type { ActionInput } from './types.js';

/**
 * "Request admin access again" (docs/behaviour.md#asking-again): a new GDAP relationship and approval link for a
 * request whose admin access was revoked or expired, or is about to expire. A second click, or one on an old copy of
 * the card after the new link is there, changes nothing.
 */
export async function requestAdminAgain(
  deps: Pick<CoreDeps, 'store' | 'settings' | 'clock' | 'directory' | 'logger'>,
  input: ActionInput,
): Promise<{ request: RelationshipRequest; changed: boolean }> {
  const before = await loadForAction(deps, input);
  if (!againReason(before)) {
    if (before.adminAccess === 'pending') return { request: before, changed: false };
    throw new IllegalTransitionError(
      'adminAccess',
      before.adminAccess,
      'pending',
      `Request ${before.id} cannot ask for admin access again: ${whyNot(before)}`,
    );
  }
  if (!deps.directory || !deps.settings.gdap) {
    throw new IllegalTransitionError(
      'adminAccess',
      before.adminAccess,
      'pending',
      'Admin access (GDAP) is turned off for this bot (GDAP_ENABLED=false), so it cannot be asked for again.',
    );
  }
  const request = await requestAdminAccess(deps, before.id, actorOf(input), true);
  return { request, changed: request.version !== before.version };
}

function whyNot(request: RelationshipRequest): string {
  if (!['draft', 'sent', 'accepted'].includes(request.status)) return `the request is ${request.status}.`;
  if (request.adminAccess === 'granted') {
    return request.gdapAutoExtends
      ? 'its admin access extends itself at its end.'
      : 'its admin access is active and not about to expire.';
  }
  return 'it has not asked for admin access yet.';
}
