/**
 * Job topic `card`: show a request's current state on its card, in place (idempotent by nature), and on one more
 * message when asked — the copy of the card a person clicked (a `status` re-post).
 */
import { DestinationGoneError } from '../errors.js';
import type { CardLocation } from '../model.js';
import { defineJob } from '../outbox/types.js';
import { card } from '../replies.js';
import { requestCardModel } from '../views/request-view.js';

export interface CardPayload {
  readonly requestId: string;
  /** another message showing this request's card, to update too */
  readonly also?: CardLocation | undefined;
}

export const cardJob = defineJob<CardPayload>({
  async run({ payload }, { deps, paced }) {
    const request = await deps.store.requests.get(payload.requestId);
    if (!request) return;
    const { also } = payload;
    const targets = [request.card, also?.messageId === request.card?.messageId ? undefined : also];
    for (const target of targets) {
      const notifier = deps.notifiers.find((n) => n.platform === target?.platform);
      if (!target || !notifier) continue;
      try {
        await paced({ platform: target.platform, channelId: target.conversationId }, () =>
          target === request.card
            ? notifier.refreshCard(request)
            : notifier
                .poster({ platform: target.platform, conversationId: target.conversationId, userId: '' })
                .update(target.messageId, card('request', requestCardModel(request), 'conversation')),
        );
      } catch (err) {
        if (err instanceof DestinationGoneError) continue; // that conversation is gone: nothing to update
        throw err;
      }
    }
  },
});
