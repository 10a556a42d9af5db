/**
 * Channel posts through the Slack Web API: notifications with chat.postMessage, in-place card updates with
 * chat.update. The Web API client honours 429 Retry-After itself (a bounded number of times); failures come back as
 * core errors: a channel that is gone (`channel_not_found`, `is_archived`, `not_in_channel`) as DestinationGoneError.
 */
import type { WebClient } from '@slack/web-api';
import type { RelationshipRequest } from '../../core/model.js';
import type { NotificationModel } from '../../core/notifications/model.js';
import type { ChannelNotifier, Subscription } from '../../core/ports.js';
import { requestCardModel } from '../../core/views/request-view.js';
import { notificationMessage, requestMessage } from './blocks.js';
import { mapSlackError } from './errors.js';

export class SlackNotifier implements ChannelNotifier {
  readonly platform = 'slack' as const;
  /** SLACK_NOTIFY_CHANNEL, which receives every notification whatever is subscribed */
  readonly standing: readonly Subscription[];

  constructor(
    private readonly client: WebClient,
    notifyChannel: string | undefined,
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

  async notify(subscription: Subscription, notification: NotificationModel): Promise<void> {
    try {
      await this.client.chat.postMessage({ channel: subscription.channelId, ...notificationMessage(notification) });
    } catch (err) {
      throw mapSlackError(err);
    }
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
