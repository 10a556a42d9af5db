import type { CoreDeps } from '../commands/types.js';
import type { CardLocation, RelationshipRequest } from '../model.js';
import { mutateRequest } from '../requests/mutate.js';
import { changeCardLocation } from '../requests/state-machine.js';

/** Remember where an adapter posted a request's card, so later changes can update it in place. */
export async function attachCard(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
  requestId: string,
  location: CardLocation,
): Promise<RelationshipRequest> {
  const at = deps.clock.now().toISOString();
  const { request } = await mutateRequest(deps.store.requests, requestId, (current) =>
    changeCardLocation(current, location, at),
  );
  return request;
}
