import { checkRequester, checkWorkspace } from '../access.js';
import type { CoreDeps } from '../commands/types.js';
import { NotFoundError } from '../errors.js';
import { scopeOf, type Actor, type RelationshipRequest } from '../model.js';
import type { ActionInput } from './types.js';

/** Common checks of every card action: workspace allowed, requester allowed, request exists in this workspace. */
export async function loadForAction(
  deps: Pick<CoreDeps, 'store' | 'settings'>,
  input: ActionInput,
): Promise<RelationshipRequest> {
  checkWorkspace(deps.settings.access, input.platform, input.tenant);
  checkRequester(deps.settings.access, input.user);
  return findInWorkspace(deps, input);
}

/** A request of this workspace; requests of other workspaces are invisible, exactly like missing ones. */
export async function findRequest(
  deps: Pick<CoreDeps, 'store'>,
  where: Pick<ActionInput, 'platform' | 'tenant' | 'requestId'>,
): Promise<RelationshipRequest | undefined> {
  const request = await deps.store.requests.get(where.requestId);
  return request?.scope === scopeOf(where.platform, where.tenant) ? request : undefined;
}

async function findInWorkspace(
  deps: Pick<CoreDeps, 'store'>,
  input: Pick<ActionInput, 'platform' | 'tenant' | 'requestId'>,
): Promise<RelationshipRequest> {
  const request = await findRequest(deps, input);
  if (!request) throw new NotFoundError(`There is no request ${input.requestId} in this workspace.`);
  return request;
}

export function actorOf(input: ActionInput): Actor {
  return { kind: 'user', platform: input.platform, id: input.user.id, name: input.user.name };
}
