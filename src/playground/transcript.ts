/**
 * What the playground's conversations show: the bot's posts as its Bot Connector endpoint received them, and the
 * user's own messages as the page reports them. Memory only (local mode); each conversation keeps its latest
 * messages and every change is told to the listeners (the page's event streams).
 */

export interface CardAttachment {
  readonly contentType: string;
  readonly content: unknown;
}

export interface PlaygroundMessage {
  readonly id: string;
  /** the channel or chat, without Teams' `;messageid=` thread suffix */
  readonly conversationId: string;
  readonly from: { readonly id: string; readonly name: string; readonly role: 'bot' | 'user' };
  readonly text?: string | undefined;
  readonly summary?: string | undefined;
  readonly attachments: readonly CardAttachment[];
  /** the message this one answers, when the bot replied in a thread */
  readonly replyToId?: string | undefined;
  readonly timestamp: string;
  /** set when the bot updated the message in place */
  readonly updatedAt?: string | undefined;
}

export type TranscriptChange =
  | { readonly kind: 'message'; readonly message: PlaygroundMessage }
  | { readonly kind: 'update'; readonly message: PlaygroundMessage }
  | { readonly kind: 'delete'; readonly conversationId: string; readonly id: string };

/** A long session stays small: older messages fall off, as in a chat client's window. */
export const MESSAGES_PER_CONVERSATION = 200;
const MAX_CONVERSATIONS = 50;

export function baseConversationId(id: string): string {
  return id.split(';')[0] ?? id;
}

export class Transcript {
  private readonly conversations = new Map<string, PlaygroundMessage[]>();
  private readonly listeners = new Set<(change: TranscriptChange) => void>();

  add(message: PlaygroundMessage): void {
    let messages = this.conversations.get(message.conversationId);
    if (!messages) {
      if (this.conversations.size >= MAX_CONVERSATIONS) {
        const oldest = this.conversations.keys().next().value;
        if (oldest !== undefined) this.conversations.delete(oldest);
      }
      messages = [];
      this.conversations.set(message.conversationId, messages);
    }
    messages.push(message);
    if (messages.length > MESSAGES_PER_CONVERSATION) messages.splice(0, messages.length - MESSAGES_PER_CONVERSATION);
    this.emit({ kind: 'message', message });
  }

  /** Replace a message's content; false when it is not (or no longer) shown. */
  update(conversationId: string, id: string, change: (old: PlaygroundMessage) => PlaygroundMessage): boolean {
    const messages = this.conversations.get(conversationId);
    const index = messages?.findIndex((m) => m.id === id) ?? -1;
    const old = index >= 0 ? messages?.[index] : undefined;
    if (!messages || !old) return false;
    const updated = change(old);
    messages[index] = updated;
    this.emit({ kind: 'update', message: updated });
    return true;
  }

  remove(conversationId: string, id: string): boolean {
    const messages = this.conversations.get(conversationId);
    const index = messages?.findIndex((m) => m.id === id) ?? -1;
    if (!messages || index < 0) return false;
    messages.splice(index, 1);
    this.emit({ kind: 'delete', conversationId, id });
    return true;
  }

  messages(conversationId: string): readonly PlaygroundMessage[] {
    return this.conversations.get(conversationId) ?? [];
  }

  snapshot(): Record<string, readonly PlaygroundMessage[]> {
    return Object.fromEntries(this.conversations);
  }

  /** Listen to every change; returns the function that stops listening. */
  listen(listener: (change: TranscriptChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(change: TranscriptChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
