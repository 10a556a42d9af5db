import type { CoreDeps } from '../commands/types.js';
import type { RelationshipRequest } from '../model.js';
import { changeStatusBy } from './change-status.js';
import type { ActionInput } from './types.js';

/** The requester sent the email: `draft` → `sent`. A double click is a no-op. */
export function markSent(
  deps: Pick<CoreDeps, 'store' | 'settings' | 'clock'>,
  input: ActionInput,
): Promise<{ request: RelationshipRequest; changed: boolean }> {
  return changeStatusBy(deps, input, 'sent');
}
