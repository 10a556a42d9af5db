/** Job topic `card`: show a request's current state on its card, in place (idempotent by nature). */
import { DestinationGoneError } from '../errors.js';
import { defineJob } from '../outbox/types.js';

export interface CardPayload {
  readonly requestId: string;
}

export const cardJob = defineJob<CardPayload>({
  async run({ payload }, { deps, paced }) {
    const request = await deps.store.requests.get(payload.requestId);
    const card = request?.card;
    const notifier = deps.notifiers.find((n) => n.platform === card?.platform);
    if (!request || !card || !notifier) return;
    try {
      await paced({ platform: card.platform, channelId: card.conversationId }, () => notifier.refreshCard(request));
    } catch (err) {
      if (err instanceof DestinationGoneError) return; // the card's conversation is gone: nothing to update
      throw err;
    }
  },
});
