import type { CoreDeps } from '../commands/types.js';
import { card, type CardReply, type FollowUp } from '../replies.js';
import { requestAdminAccess } from '../requests/admin-access.js';
import { requestCardModel } from '../views/request-view.js';

const SYSTEM = { kind: 'system', name: 'Partner Relationship Bot' } as const;

/**
 * Finish what a reply left until its card was posted, and give the card to show in its place. Admin access: asked for
 * now, as the request's creator; a failure is kept on the request and the card offers a retry, as when the card
 * waited for it.
 */
export async function runFollowUp(deps: CoreDeps, followUp: FollowUp): Promise<CardReply | undefined> {
  const request = await deps.store.requests.get(followUp.requestId);
  if (!request) return undefined;
  const updated = await requestAdminAccess(deps, request, request.timeline[0]?.actor ?? SYSTEM);
  return card('request', requestCardModel(updated, followUp.notes), 'conversation');
}
