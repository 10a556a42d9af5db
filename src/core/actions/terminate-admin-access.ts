import type { CoreDeps } from '../commands/types.js';
import { IllegalTransitionError } from '../errors.js';
import type { RelationshipRequest } from '../model.js';
import { endAdminAccessOnCancel } from '../requests/end-admin-access.js';
import { actorOf, loadForAction } from './load.js';
import type { ActionInput } from './types.js';

/**
 * "End admin access" under the notice that a customer approved admin access for a cancelled request
 * (docs/behaviour.md#cancelling): the relationship is terminated. `said` tells the person what happened.
 */
export async function terminateAdminAccess(
  deps: Pick<CoreDeps, 'store' | 'settings' | 'clock' | 'directory' | 'logger'>,
  input: ActionInput,
): Promise<{ request: RelationshipRequest; changed: boolean; said: string }> {
  const before = await loadForAction(deps, input);
  if (before.adminAccess === 'revoked' || before.adminAccess === 'expired') {
    return { request: before, changed: false, said: `Admin access for request ${before.id} has already ended.` };
  }
  if (before.status !== 'cancelled') {
    throw new IllegalTransitionError(
      'adminAccess',
      before.adminAccess,
      'revoked',
      `Request ${before.id} is not cancelled: its admin access is ended by cancelling the request.`,
    );
  }
  const { request, said } = await endAdminAccessOnCancel(deps, before, actorOf(input));
  return { request, changed: request.version !== before.version, said };
}
