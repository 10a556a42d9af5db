import { DestinationGoneError } from '../errors.js';
import type { ChannelNotifier, Logger, Store, Subscription } from '../ports.js';
import type { NotificationModel } from './model.js';

/**
 * Post one notification to one subscribed channel. A channel that is gone (the bot was removed, the channel was
 * archived, the user blocked the bot) has its subscription disabled with the platform's reason, instead of being
 * retried forever. Rate limits and other failures propagate, typed, for the caller to retry.
 */
export async function deliverToSubscription(
  deps: { store: Store; logger: Logger; clock: { now(): Date } },
  notifier: ChannelNotifier,
  subscription: Subscription,
  notification: NotificationModel,
  key: string,
): Promise<{ readonly delivered: boolean; readonly messageId?: string | undefined }> {
  try {
    return { delivered: true, messageId: await notifier.notify(subscription, notification, key) };
  } catch (err) {
    if (!(err instanceof DestinationGoneError)) throw err;
    await deps.store.subscriptions.disable(
      subscription.platform,
      subscription.channelId,
      err.reason,
      deps.clock.now().toISOString(),
    );
    deps.logger.warn(
      { platform: subscription.platform, channelId: subscription.channelId, reason: err.reason },
      `subscription disabled: ${err.message}`,
    );
    return { delivered: false };
  }
}
