import type { CoreDeps } from '../commands/types.js';
import type { RelationshipRequest } from '../model.js';
import { endAdminAccessOnCancel } from '../requests/end-admin-access.js';
import { changeStatusBy } from './change-status.js';
import { actorOf } from './load.js';
import type { ActionInput } from './types.js';

/**
 * Cancel an open request (command or card button), and end its admin access as far as Graph allows
 * (`end-admin-access.ts`). Cancelling a cancelled request again changes nothing, but still ends admin access that
 * an interrupted first attempt left live. `said`: what happened to the admin access, for the reply ('' for nothing).
 */
export async function cancelRequest(
  deps: Pick<CoreDeps, 'store' | 'settings' | 'clock' | 'directory' | 'logger'>,
  input: ActionInput,
): Promise<{ request: RelationshipRequest; changed: boolean; said: string }> {
  const { request, changed } = await changeStatusBy(deps, input, 'cancelled');
  const ended = await endAdminAccessOnCancel(deps, request, actorOf(input));
  return { request: ended.request, changed: changed || ended.request.version !== request.version, said: ended.said };
}
