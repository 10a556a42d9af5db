import type { CoreDeps } from '../commands/types.js';
import type { RelationshipRequest } from '../model.js';
import { syncAccessAssignments } from '../requests/access-assignments.js';
import { requestAdminAccess } from '../requests/admin-access.js';
import { actorOf, loadForAction } from './load.js';
import type { ActionInput } from './types.js';

/**
 * "Retry admin access" on a card whose GDAP request failed at creation, or whose access assignments were refused
 * after the approval (those are made again); a no-op otherwise.
 */
export async function retryAdminAccess(
  deps: Pick<CoreDeps, 'store' | 'settings' | 'clock' | 'directory' | 'logger'>,
  input: ActionInput,
): Promise<{ request: RelationshipRequest; changed: boolean }> {
  const before = await loadForAction(deps, input);
  const request =
    before.adminAccess === 'granted'
      ? ((await syncAccessAssignments(deps, before.id, 'create')) ?? before)
      : await requestAdminAccess(deps, before.id, actorOf(input));
  return { request, changed: request.version !== before.version };
}
