import type { CoreDeps } from '../commands/types.js';
import { ConflictError } from '../errors.js';
import { isOpen, type RelationshipRequest } from '../model.js';
import { draftForSave } from '../requests/draft.js';
import { mutateRequest } from '../requests/mutate.js';
import { changeDraft, describeStatus } from '../requests/state-machine.js';
import { actorOf, loadForAction } from './load.js';
import type { ActionInput } from './types.js';

export interface SaveDraftInput extends ActionInput {
  readonly body: string;
  /** omitted: keep the current subject */
  readonly subject?: string | undefined;
  /** the request version the person started editing from (the card or form they typed in); omitted: the current one */
  readonly editedVersion?: number | undefined;
}

/**
 * Save an edited draft of an open request. Refused — with the reason, nothing stored — when a link the person saw
 * was changed or removed, when it is too long, or when the request is no longer open. A link the request gained after
 * they started editing is added to the text, and `notices` say so.
 */
export async function saveDraft(
  deps: Pick<CoreDeps, 'store' | 'settings' | 'clock'>,
  input: SaveDraftInput,
): Promise<{ request: RelationshipRequest; changed: boolean; notices: readonly string[] }> {
  const loaded = await loadForAction(deps, input);
  const at = deps.clock.now().toISOString();
  let notices: string[] = [];
  const result = await mutateRequest(
    deps.store.requests,
    input.requestId,
    (current) => {
      if (!isOpen(current)) {
        throw new ConflictError(
          `Request ${current.id} is ${describeStatus(current.status).toLowerCase()}; its draft can no longer be changed.`,
        );
      }
      const checked = draftForSave(
        { subject: input.subject ?? current.draft.subject, body: input.body },
        current,
        input.editedVersion,
      );
      notices = checked.notices;
      return changeDraft(current, checked.draft, actorOf(input), at);
    },
    loaded,
  );
  return { ...result, notices };
}
