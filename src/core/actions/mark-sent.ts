import type { CoreDeps } from '../commands/types.js';
import type { RelationshipRequest } from '../model.js';
import { mutateRequest } from '../requests/mutate.js';
import { changeStatus } from '../requests/state-machine.js';
import { actorOf, loadForAction } from './load.js';
import type { ActionInput } from './types.js';

/** The requester sent the email: `draft` → `sent`. A double click is a no-op. */
export async function markSent(
  deps: Pick<CoreDeps, 'store' | 'settings' | 'clock'>,
  input: ActionInput,
): Promise<{ request: RelationshipRequest; changed: boolean }> {
  await loadForAction(deps, input);
  const at = deps.clock.now().toISOString();
  return mutateRequest(deps.store.requests, input.requestId, (current) =>
    changeStatus(current, 'sent', actorOf(input), at),
  );
}
