/**
 * Job topic `card-action`: a button on a request card or a notification (mark as sent, cancel, retry admin access,
 * request admin access again, end admin access) that was acknowledged
 * before it ran. The change is decided against the stored request, so running the job twice changes nothing the
 * second time (like a double click); a refusal is answered to the person who clicked only.
 */
import type { RelationshipRequest } from '../model.js';
import { NotFoundError } from '../errors.js';
import { defineJob } from '../outbox/types.js';
import type { ReplyAddress } from '../ports.js';
import { card, errorReply, text } from '../replies.js';
import { requestCardModel } from '../views/request-view.js';
import type { JobDeps } from '../outbox/types.js';
import { cancelRequest } from './cancel-request.js';
import { markSent } from './mark-sent.js';
import { requestAdminAgain } from './request-admin-again.js';
import { retryAdminAccess } from './retry-admin-access.js';
import { terminateAdminAccess } from './terminate-admin-access.js';
import type { ActionInput } from './types.js';

const ACTIONS = {
  markSent,
  cancel: cancelRequest,
  retryAdminAccess,
  requestAdminAgain,
  terminateAdminAccess,
} as const satisfies Record<
  string,
  (deps: JobDeps, input: ActionInput) => Promise<{ request: RelationshipRequest; changed: boolean; said?: string }>
>;

export type CardAction = keyof typeof ACTIONS;

export interface CardActionPayload {
  readonly action: CardAction;
  readonly input: ActionInput;
  readonly replyTo: ReplyAddress;
  /**
   * the message whose button was clicked, when it is not the request's own card (a `status` copy) and becomes the
   * request's card too; absent for a button on a notification, which stays as it is
   */
  readonly clicked?: string | undefined;
}

export const cardActionJob = defineJob<CardActionPayload>({
  async run({ payload }, { deps }) {
    const { action, input, replyTo, clicked } = payload;
    const notifier = deps.notifiers.find((n) => n.platform === replyTo.platform);
    if (!notifier) throw new NotFoundError(`${replyTo.platform} is turned off; the click cannot be answered.`);
    const poster = notifier.poster(replyTo);
    let result: { request: RelationshipRequest; changed: boolean; said?: string };
    try {
      result = await ACTIONS[action](deps, input);
    } catch (err) {
      const refusal = errorReply(err);
      if (!refusal) throw err;
      await poster.post(refusal);
      return;
    }
    // what happened, for the person who clicked (e.g. what ending admin access did), unless the card says it already
    if (result.said && !requestCardModel(result.request).notes.includes(result.said)) {
      await poster.post(text(result.said, result.changed ? 'success' : 'info'));
    }
    if (!result.changed) return;
    const { request } = result;
    if (clicked && clicked !== request.card?.messageId) {
      await poster.update(clicked, card('request', requestCardModel(request), 'conversation'));
    }
    await notifier.refreshCard(request);
  },
});
