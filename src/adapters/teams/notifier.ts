/**
 * Proactive posts through the Bot Connector: notifications as new posts in a subscribed channel, and in-place updates
 * of request cards. botbuilder already retries 429-with-Retry-After and 5xx; this adds no retry layer of its own and
 * reports failures as core errors for the caller (the outbox) to act on.
 */
import { CardFactory, TurnContext, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { DestinationGoneError } from '../../core/errors.js';
import type { CardLocation, RelationshipRequest } from '../../core/model.js';
import type { NotificationModel } from '../../core/notifications/model.js';
import type { ReplyPoster } from '../../core/card-first.js';
import type { ChannelNotifier, Logger, ReplyAddress, Store, Subscription } from '../../core/ports.js';
import { requestCardModel } from '../../core/views/request-view.js';
import { messageActivity, notificationCard, requestCard } from './cards.js';
import { mapConnectorError } from './errors.js';
import { referenceKey, referenceTo } from './references.js';

export class TeamsNotifier implements ChannelNotifier {
  readonly platform = 'teams' as const;
  readonly standing: readonly Subscription[] = [];

  constructor(
    private readonly adapter: CloudAdapter,
    /** '' when authentication is off (local mode): botbuilder then sends without a token */
    private readonly appId: string,
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  async notify(
    subscription: Subscription,
    notification: NotificationModel,
    _key?: string,
  ): Promise<string | undefined> {
    const record = await this.store.conversations.get(referenceKey(subscription.channelId));
    if (!record) {
      throw new DestinationGoneError(
        `The bot has no conversation reference for Teams channel ${subscription.channelId}; it must be installed there.`,
        'NoConversationReference',
      );
    }
    const activity = {
      type: 'message',
      summary: notification.title,
      attachments: [CardFactory.adaptiveCard(notificationCard(notification))],
    };
    // A reference without an activity id: the post is a new top-level message, not a reply in some thread.
    const reference = referenceTo(record, subscription.channelId);
    let id: string | undefined;
    await this.continueIn(reference, async (context) => {
      const outgoing = TurnContext.applyConversationReference({ ...activity }, reference);
      id = (await context.adapter.sendActivities(context, [outgoing]))[0]?.id;
    });
    return id;
  }

  async updateNotification(location: CardLocation, notification: NotificationModel): Promise<void> {
    const record = await this.store.conversations.get(referenceKey(location.conversationId));
    if (!record) return;
    await this.continueIn(referenceTo(record, location.conversationId), async (context) => {
      await context.updateActivity({
        type: 'message',
        id: location.messageId,
        summary: notification.title,
        attachments: [CardFactory.adaptiveCard(notificationCard(notification))],
      });
    });
  }

  /**
   * The Bot Connector offers no way to read a channel's messages back, so a post that may or may not have happened
   * before a crash cannot be checked: the outbox posts it again (at least once).
   */
  wasDelivered(): Promise<boolean | undefined> {
    return Promise.resolve(undefined);
  }

  async refreshCard(request: RelationshipRequest): Promise<void> {
    const card = request.card;
    if (card?.platform !== 'teams') return;
    const record = await this.store.conversations.get(referenceKey(card.conversationId));
    if (!record) {
      this.logger.warn({ requestId: request.id }, 'cannot update the Teams card: no conversation reference');
      return;
    }
    await this.continueIn(referenceTo(record, card.conversationId), async (context) => {
      await context.updateActivity({
        type: 'message',
        id: card.messageId,
        attachments: [CardFactory.adaptiveCard(requestCard(requestCardModel(request)))],
      });
    });
  }

  /** Proactive replies in a conversation the bot knows (the card of a request, a copy of it). */
  poster(address: ReplyAddress): ReplyPoster {
    const conversationId = address.conversationId;
    const reference = async () => {
      const record = await this.store.conversations.get(referenceKey(conversationId));
      if (!record) {
        throw new DestinationGoneError(
          `The bot has no conversation reference for Teams conversation ${conversationId}.`,
          'NoConversationReference',
        );
      }
      return referenceTo(record, conversationId);
    };
    return {
      platform: 'teams',
      conversationId,
      post: async (reply) => {
        let id: string | undefined;
        await this.continueIn(await reference(), async (context) => {
          id = (await context.sendActivity(messageActivity(reply)))?.id;
        });
        return id;
      },
      update: async (messageId, reply) => {
        if (!messageId) return;
        await this.continueIn(await reference(), async (context) => {
          await context.updateActivity({ ...messageActivity(reply), id: messageId });
        });
      },
    };
  }

  /**
   * botbuilder hands errors thrown inside a continuation to `onTurnError` instead of to the caller; keep them and
   * rethrow, translated, so callers see what happened.
   */
  private async continueIn(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      try {
        await logic(context);
      } catch (err) {
        failure = err;
      }
    });
    if (failure !== undefined) throw mapConnectorError(failure);
  }
}
