/**
 * Channel posts through the Slack Web API: notifications with chat.postMessage, in-place card updates with
 * chat.update. The Web API client honours 429 Retry-After itself (a bounded number of times); failures come back as
 * core errors: a channel that is gone (`channel_not_found`, `is_archived`, `not_in_channel`) as DestinationGoneError.
 */
import type { WebClient } from '@slack/web-api';
import type { CardLocation, RelationshipRequest } from '../../core/model.js';
import type { NotificationModel } from '../../core/notifications/model.js';
import type { ReplyPoster } from '../../core/card-first.js';
import type { ChannelNotifier, Logger, ReplyAddress, Subscription } from '../../core/ports.js';
import { findInHistory } from './history.js';
import { slackPoster } from './post.js';
import { requestCardModel } from '../../core/views/request-view.js';
import { notificationMessage, requestMessage } from './blocks.js';
import { mapSlackError } from './errors.js';

/** `metadata.event_type` of our notification posts (Slack: lowercase letters, digits, underscores). */
export const DELIVERY_EVENT_TYPE = 'partner_relationship_notification';

export class SlackNotifier implements ChannelNotifier {
  readonly platform = 'slack' as const;
  /** SLACK_NOTIFY_CHANNEL, which receives every notification whatever is subscribed */
  readonly standing: readonly Subscription[];

  constructor(
    private readonly client: WebClient,
    notifyChannel: string | undefined,
    private readonly logger: Logger,
  ) {
    const at = new Date(0).toISOString();
    this.standing = notifyChannel
      ? [
          {
            platform: 'slack',
            scope: 'slack:*',
            channelId: notifyChannel,
            active: true,
            createdBy: 'SLACK_NOTIFY_CHANNEL',
            createdAt: at,
            updatedAt: at,
          },
        ]
      : [];
  }

  /** The delivery key travels as message metadata, so `wasDelivered` can find the post again. */
  async notify(subscription: Subscription, notification: NotificationModel, key: string): Promise<string | undefined> {
    try {
      const posted = await this.client.chat.postMessage({
        channel: subscription.channelId,
        ...notificationMessage(notification),
        metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { key } },
      });
      return posted.ts;
    } catch (err) {
      throw mapSlackError(err);
    }
  }

  async updateNotification(location: CardLocation, notification: NotificationModel): Promise<void> {
    try {
      await this.client.chat.update({
        channel: location.conversationId,
        ts: location.messageId,
        ...notificationMessage(notification),
      });
    } catch (err) {
      throw mapSlackError(err);
    }
  }

  /**
   * Look for our own post with this delivery key in the channel's history since `since`. `undefined` when Slack will
   * not say (missing scope, other errors).
   */
  async wasDelivered(subscription: Subscription, key: string, since: Date): Promise<boolean | undefined> {
    const found = await findInHistory(
      this.client,
      subscription.channelId,
      since,
      (m) => m.event_type === DELIVERY_EVENT_TYPE && m.event_payload?.['key'] === key,
    );
    return found === undefined ? undefined : found !== false;
  }

  poster(address: ReplyAddress): ReplyPoster {
    return slackPoster(this.client, this.logger, address);
  }

  async refreshCard(request: RelationshipRequest): Promise<void> {
    const card = request.card;
    if (card?.platform !== 'slack') return;
    try {
      await this.client.chat.update({
        channel: card.conversationId,
        ts: card.messageId,
        ...requestMessage(requestCardModel(request)),
      });
    } catch (err) {
      throw mapSlackError(err);
    }
  }
}
