import type { CoreDeps } from '../commands/types.js';
import type { RelationshipRequest } from '../model.js';
import { changeStatusBy } from './change-status.js';
import type { ActionInput } from './types.js';

/** Cancel an open request (command or card button). Cancelling a cancelled request again changes nothing. */
export function cancelRequest(
  deps: Pick<CoreDeps, 'store' | 'settings' | 'clock'>,
  input: ActionInput,
): Promise<{ request: RelationshipRequest; changed: boolean }> {
  return changeStatusBy(deps, input, 'cancelled');
}
