/** Where the bot can post later: Bot Framework conversation references, kept in the store per conversation. */
import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { ConversationRecord, Store } from '../../core/ports.js';
import { scopeOf } from '../../core/model.js';
import { channelConversationId } from './activity-input.js';

export function referenceKey(conversationId: string): string {
  return `teams:${channelConversationId(conversationId)}`;
}

/** References this process saved lately, per store: a message in the same conversation need not write it again. */
const recentlySaved = new WeakMap<Store, Map<string, { json: string; at: number }>>();
const RESAVE_AFTER_MS = 10 * 60_000;

/**
 * Save (or refresh: serviceUrl can change) the reference of the activity's conversation, minus the thread. With
 * `unlessRecent` (messages), an identical reference this process saved in the last 10 minutes is not written again;
 * installs always write.
 */
export async function rememberConversation(
  store: Store,
  activity: Partial<Activity>,
  tenant: string,
  at: string,
  options: { unlessRecent?: boolean } = {},
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
  const saved = recentlySaved.get(store) ?? new Map<string, { json: string; at: number }>();
  recentlySaved.set(store, saved);
  const json = JSON.stringify([record.scope, record.reference]);
  const now = Date.parse(at);
  const last = saved.get(record.key);
  if (options.unlessRecent && last?.json === json && now - last.at < RESAVE_AFTER_MS) return;
  await store.conversations.save(record);
  if (saved.size > 10_000) saved.clear();
  saved.set(record.key, { json, at: now });
}

export async function forgetConversation(store: Store, conversationId: string): Promise<void> {
  recentlySaved.get(store)?.delete(referenceKey(conversationId));
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
