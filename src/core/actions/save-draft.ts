import type { CoreDeps } from '../commands/types.js';
import { ConflictError } from '../errors.js';
import { isOpen, type RelationshipRequest } from '../model.js';
import { checkDraftEdit } from '../requests/draft.js';
import { mutateRequest } from '../requests/mutate.js';
import { changeDraft, describeStatus } from '../requests/state-machine.js';
import { actorOf, loadForAction } from './load.js';
import type { ActionInput } from './types.js';

export interface SaveDraftInput extends ActionInput {
  readonly body: string;
  /** omitted: keep the current subject */
  readonly subject?: string | undefined;
}

/**
 * Save an edited draft of an open request. Refused — with the reason, nothing stored — when a link was changed or
 * removed, when it is too long, or when the request is no longer open.
 */
export async function saveDraft(
  deps: Pick<CoreDeps, 'store' | 'settings' | 'clock'>,
  input: SaveDraftInput,
): Promise<{ request: RelationshipRequest; changed: boolean }> {
  const loaded = await loadForAction(deps, input);
  const draft = checkDraftEdit(
    { subject: input.subject ?? loaded.draft.subject, body: input.body },
    { resellerLink: loaded.resellerLink, gdapLink: loaded.gdapLink },
  );
  const at = deps.clock.now().toISOString();
  return mutateRequest(deps.store.requests, input.requestId, (current) => {
    if (!isOpen(current)) {
      throw new ConflictError(
        `Request ${current.id} is ${describeStatus(current.status).toLowerCase()}; its draft can no longer be changed.`,
      );
    }
    return changeDraft(current, draft, actorOf(input), at);
  });
}
