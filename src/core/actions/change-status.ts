import type { CoreDeps } from '../commands/types.js';
import type { RelationshipRequest, Status } from '../model.js';
import { mutateRequest } from '../requests/mutate.js';
import { changeStatus } from '../requests/state-machine.js';
import { actorOf, loadForAction } from './load.js';
import type { ActionInput } from './types.js';

/**
 * A person moves a request to `to` (mark as sent, cancel): access checked, the move checked against the latest stored
 * state, stored with a version check. Doing it twice changes nothing the second time (`changed: false`).
 */
export async function changeStatusBy(
  deps: Pick<CoreDeps, 'store' | 'settings' | 'clock'>,
  input: ActionInput,
  to: Status,
): Promise<{ request: RelationshipRequest; changed: boolean }> {
  await loadForAction(deps, input);
  const at = deps.clock.now().toISOString();
  return mutateRequest(deps.store.requests, input.requestId, (current) =>
    changeStatus(current, to, actorOf(input), at),
  );
}
