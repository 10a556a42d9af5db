/**
 * Card first: a new request's card is posted at once, and admin access (two Graph calls) is asked for right after,
 * the same card then replaced in place with the approval link (or the failure and a retry). Every adapter shows
 * replies through `showReply` with its own `post` and `update`, so Teams and Slack cannot drift apart. Behind the
 * follow-up, a durable `admin-access` job finishes the work if the process dies before it does.
 */
import { attachCard } from './actions/attach-card.js';
import type { CoreDeps } from './commands/types.js';
import { SYSTEM_ACTOR, type Platform, type RelationshipRequest } from './model.js';
import { newJob } from './outbox/types.js';
import { card, type CardReply, type FollowUp, type Reply } from './replies.js';
import { requestAdminAccess } from './requests/admin-access.js';
import { ADMIN_ACCESS_SAFETY_NET_MS } from './requests/admin-access-job.js';
import { requestCardModel } from './views/request-view.js';

/** How an adapter shows replies in one conversation. */
export interface ReplyPoster {
  readonly platform: Platform;
  /** the conversation a posted card belongs to (Teams: without `;messageid=`; Slack: the channel id) */
  readonly conversationId: string;
  /** Post a new message; its id when the platform gives one (a card without one cannot be updated later). */
  post(reply: Reply): Promise<string | undefined>;
  /** Replace a message this poster posted (`messageId` undefined: the platform gave none; replace what it can). */
  update(messageId: string | undefined, reply: CardReply): Promise<void>;
  /**
   * The id of a request's card posted here since `since`, when the platform can be asked (Slack, with the history
   * scopes); undefined when it cannot tell or there is none. Asked only when an earlier attempt may have posted it.
   */
  findCard?(requestId: string, since: Date): Promise<string | undefined>;
}

/** An earlier attempt at this reply never finished (its process died): it may have posted already. */
export interface InDoubt {
  readonly since: Date;
}

/** The first card of a request created just now, with the follow-up that completes it. */
export async function firstCard(deps: CoreDeps, request: RelationshipRequest, notes: readonly string[]) {
  await enqueueSafetyNet(deps, request.id);
  const first = card('request', requestCardModel(request, notes, { adminAccessComing: true }), 'conversation');
  const followUp: FollowUp = { kind: 'admin-access', requestId: request.id, notes };
  return { ...first, followUp };
}

/**
 * Post a reply. A request card is remembered where it was posted, then its follow-up runs and the card is replaced
 * with the result. The card is already out when the follow-up runs: a failure there is logged (the safety net and the
 * card's retry button remain), not reported to the person as a failed command.
 */
export async function showReply(deps: CoreDeps, poster: ReplyPoster, reply: Reply, inDoubt?: InDoubt): Promise<void> {
  if (reply.kind === 'card' && reply.existing) {
    // a replay of a command whose card is out already: bring that card up to date, post nothing new
    if (reply.existing.platform === poster.platform) await poster.update(reply.existing.messageId, reply);
    return;
  }
  const isRequestCard = reply.kind === 'card' && reply.card === 'request';
  const found =
    isRequestCard && inDoubt && poster.findCard
      ? await poster.findCard(reply.data.requestId, inDoubt.since)
      : undefined;
  if (found) deps.logger.info({ requestId: found }, 'the card was posted before a restart; not posting it again');
  const messageId = found ?? (await poster.post(reply));
  if (reply.kind !== 'card' || reply.card !== 'request') return;
  const requestId = reply.data.requestId;
  if (messageId) {
    try {
      await attachCard(deps, requestId, {
        platform: poster.platform,
        conversationId: poster.conversationId,
        messageId,
      });
    } catch (err) {
      // the card is out and the request stored: failing now would make the platform (or the job) post it again
      deps.logger.warn({ err, requestId }, 'the card was posted, but where could not be recorded');
    }
  } else {
    deps.logger.warn({ requestId }, `the ${poster.platform} card has no message id; it cannot be updated in place`);
  }
  if (!reply.followUp) return;
  try {
    const next = await runFollowUp(deps, reply.followUp);
    if (next) await poster.update(messageId, next);
  } catch (err) {
    deps.logger.warn({ err, requestId }, `${poster.platform}: the card was posted; finishing the request failed`);
  }
}

/** Ask for admin access as the request's creator and give the card to show instead (undefined: request gone). */
export async function runFollowUp(deps: CoreDeps, followUp: FollowUp): Promise<CardReply | undefined> {
  const request = await deps.store.requests.get(followUp.requestId);
  if (!request) return undefined;
  const updated = await requestAdminAccess(deps, request, request.timeline[0]?.actor ?? SYSTEM_ACTOR);
  return card('request', requestCardModel(updated, followUp.notes), 'conversation');
}

/** Without the safety net the follow-up still runs: a failure to record it is logged. */
async function enqueueSafetyNet(deps: CoreDeps, requestId: string): Promise<void> {
  const now = deps.clock.now();
  const dueAt = new Date(now.getTime() + ADMIN_ACCESS_SAFETY_NET_MS);
  try {
    await deps.store.outbox.enqueue([newJob('admin-access', requestId, { requestId }, dueAt)], now);
  } catch (err) {
    deps.logger.warn({ err, requestId }, 'could not record the safety net for admin access; the follow-up still runs');
  }
}
