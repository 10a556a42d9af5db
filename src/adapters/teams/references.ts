/** Where the bot can post later: Bot Framework conversation references, kept in the store per conversation. */
import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { ConversationRecord, Store } from '../../core/ports.js';
import { scopeOf } from '../../core/model.js';
import { channelConversationId } from './activity-input.js';

export function referenceKey(conversationId: string): string {
  return `teams:${channelConversationId(conversationId)}`;
}

/** Save (or refresh: serviceUrl can change) the reference of the activity's conversation, minus the thread. */
export async function rememberConversation(
  store: Store,
  activity: Partial<Activity>,
  tenant: string,
  at: string,
): Promise<void> {
  const conversationId = channelConversationId(activity.conversation?.id ?? '');
  const reference = TurnContext.getConversationReference(activity);
  delete reference.activityId;
  const record: ConversationRecord = {
    key: referenceKey(conversationId),
    platform: 'teams',
    scope: scopeOf('teams', tenant),
    conversationId,
    reference: { ...reference, conversation: { ...reference.conversation, id: conversationId } },
    updatedAt: at,
  };
  await store.conversations.save(record);
}

export async function forgetConversation(store: Store, conversationId: string): Promise<void> {
  await store.conversations.remove(referenceKey(conversationId));
}

/** A stored reference pointed at `conversationId` (a channel for a new post, or a thread for a card update). */
export function referenceTo(record: ConversationRecord, conversationId: string): Partial<ConversationReference> {
  const reference = record.reference as Partial<ConversationReference>;
  const { activityId: _thread, ...rest } = reference;
  return {
    ...rest,
    conversation: {
      ...(reference.conversation ?? { isGroup: true, conversationType: 'channel', name: '' }),
      id: conversationId,
    },
  };
}
