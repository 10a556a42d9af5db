/**
 * Job topic `deliver`: one notification to one channel, posted when the channel's pacing allows. A job whose earlier
 * claim never finished (the process died after posting, before recording it) first asks the platform whether the
 * post exists — Slack can tell, Teams cannot, so Teams is at least once in that window.
 */
import { NotFoundError } from '../errors.js';
import { defineJob, destinationKey, type Destination } from '../outbox/types.js';
import type { Subscription } from '../ports.js';
import { deliverToSubscription } from './deliver.js';
import type { NotificationModel } from './model.js';
import { recordPost } from '../watch/acceptances.js';

export interface DeliveryPayload {
  readonly destination: Subscription;
  readonly notification: NotificationModel;
  /** to the request's own conversation (a reminder), not to a subscription */
  readonly direct: boolean;
}

/** A channel is offered the requests of its own workspace only (and "None of these"). */
function choicesFor(notification: NotificationModel, destination: Subscription): NotificationModel {
  const { choices } = notification;
  if (!choices) return notification;
  const all = destination.scope.endsWith(':*') ? `${destination.platform}:` : undefined;
  const options = choices.options.filter(
    (o) => o.scope === '*' || o.scope === destination.scope || (all !== undefined && o.scope.startsWith(all)),
  );
  return { ...notification, choices: { ...choices, options } };
}

/** The id part of a delivery's job key: the event's key and the destination. */
export function deliveryKey(eventKey: string, destination: Destination): string {
  return `${eventKey}>${destinationKey(destination)}`;
}

export const deliverJob = defineJob<DeliveryPayload>({
  // one channel's posts go out in order, one at a time
  lane: (payload) => destinationKey(payload.destination),
  async run({ key, payload, inDoubt, createdAt }, { deps, paced }) {
    const { destination, notification, direct } = payload;
    const notifier = deps.notifiers.find((n) => n.platform === destination.platform);
    if (!notifier) throw new NotFoundError(`${destination.platform} is turned off; the notification cannot be posted.`);
    if (inDoubt && (await notifier.wasDelivered(destination, key, createdAt)) === true) {
      deps.logger.info({ key }, 'jobs: already posted before a restart; not posting again');
      return;
    }
    if (!direct) {
      const current = await deps.store.subscriptions.get(destination.platform, destination.channelId);
      if (current && !current.active) return; // unsubscribed or disabled since: nothing to post
    }
    const shown = choicesFor(notification, destination);
    const posted = await paced(destination, () => deliverToSubscription(deps, notifier, destination, shown, key));
    if (shown.choices && posted.messageId) {
      // remembered so that the notification can change in place once a person (or the bot) decided
      const location = {
        platform: destination.platform,
        conversationId: destination.channelId,
        messageId: posted.messageId,
      };
      await recordPost(deps.store, shown.choices.tenantId, location, deps.clock.now());
    }
  },
});
