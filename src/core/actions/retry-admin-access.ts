import type { CoreDeps } from '../commands/types.js';
import type { RelationshipRequest } from '../model.js';
import { requestAdminAccess } from '../requests/admin-access.js';
import { actorOf, loadForAction } from './load.js';
import type { ActionInput } from './types.js';

/** "Retry admin access" on a card whose GDAP request failed at creation; a no-op once admin access is requested. */
export async function retryAdminAccess(
  deps: Pick<CoreDeps, 'store' | 'settings' | 'clock' | 'directory' | 'logger'>,
  input: ActionInput,
): Promise<{ request: RelationshipRequest; changed: boolean }> {
  const before = await loadForAction(deps, input);
  const request = await requestAdminAccess(deps, before.id, actorOf(input));
  return { request, changed: request.version !== before.version };
}
