/** Slack payloads in the core's neutral terms. */
import type { ActionInput } from '../../core/actions/types.js';
import type { CommandInput } from '../../core/commands/types.js';

/** D… is a direct message, G… a private channel or group DM (older ids), C… a channel. */
export function conversationKind(channelId: string): CommandInput['conversation']['kind'] {
  if (channelId.startsWith('D')) return 'personal';
  if (channelId.startsWith('G')) return 'group';
  return 'channel';
}

/** Slack escapes `&`, `<` and `>` in message text; read them back as typed. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The words of an @mention: the bot's mention removed, other user mentions kept as written. */
export function mentionText(text: string, botUserId: string | undefined): string {
  const withoutBot = botUserId ? text.split(`<@${botUserId}>`).join(' ') : text.replace(/^\s*<@[A-Z0-9]+>/, ' ');
  // Markup (links, mentions) stays for the core to unwrap; only the plain parts are unescaped.
  return withoutBot
    .split(/(<[^>]*>)/)
    .map((part) => (part.startsWith('<') ? part : unescapeSlack(part)))
    .join('')
    .trim();
}

export interface SlackWho {
  readonly teamId: string;
  readonly userId: string;
  readonly userName: string;
  readonly channelId: string;
  readonly channelName?: string | undefined;
}

/** Who clicked a button or submitted a modal: the same fields in every interactive payload. */
export function interactor(body: {
  readonly team?: { readonly id: string } | null | undefined;
  readonly user: { readonly id: string; readonly name?: string | undefined; readonly team_id?: string | undefined };
}): Pick<SlackWho, 'teamId' | 'userId' | 'userName'> {
  return {
    teamId: body.team?.id ?? body.user.team_id ?? '',
    userId: body.user.id,
    userName: body.user.name || body.user.id,
  };
}

export function commandInput(who: SlackWho, text: string, messageId: string | undefined): CommandInput {
  return {
    platform: 'slack',
    tenant: who.teamId,
    user: { id: who.userId, name: who.userName || who.userId },
    conversation: { id: who.channelId, kind: conversationKind(who.channelId), name: who.channelName },
    text,
    messageId,
  };
}

export function actionInput(who: Pick<SlackWho, 'teamId' | 'userId' | 'userName'>, requestId: string): ActionInput {
  return {
    platform: 'slack',
    tenant: who.teamId,
    user: { id: who.userId, name: who.userName || who.userId },
    requestId,
  };
}

/** Where a modal's result goes: kept in `private_metadata` (at most 3,000 characters). */
export interface ModalContext {
  readonly channelId: string;
  readonly requestId?: string | undefined;
  /** the card's message ts, when the modal edits a posted card */
  readonly ts?: string | undefined;
  /** the request version the modal's draft was loaded from */
  readonly version?: number | undefined;
}

export function modalMetadata(context: ModalContext): string {
  return JSON.stringify(context);
}

export function readModalContext(privateMetadata: string | undefined): ModalContext | undefined {
  try {
    const value = JSON.parse(privateMetadata ?? '') as Partial<ModalContext> | null;
    if (!value || typeof value.channelId !== 'string') return undefined;
    return {
      channelId: value.channelId,
      requestId: typeof value.requestId === 'string' ? value.requestId : undefined,
      ts: typeof value.ts === 'string' ? value.ts : undefined,
      version: Number.isSafeInteger(value.version) && Number(value.version) > 0 ? value.version : undefined,
    };
  } catch {
    return undefined;
  }
}
