/** Teams activities in the core's neutral terms. */
import type { Activity } from 'botbuilder';
import type { ActionInput } from '../../core/actions/types.js';
import type { CommandInput } from '../../core/commands/types.js';

/** Channel conversation ids carry the thread: `19:abc@thread.tacv2;messageid=1700000000000`. */
export function channelConversationId(conversationId: string): string {
  const at = conversationId.indexOf(';messageid=');
  return at === -1 ? conversationId : conversationId.slice(0, at);
}

export function tenantOf(activity: Partial<Activity>): string | undefined {
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const id = activity.conversation?.tenantId ?? (typeof fromChannelData === 'string' ? fromChannelData : undefined);
  return id || undefined;
}

export function conversationKind(activity: Partial<Activity>): CommandInput['conversation']['kind'] {
  switch (activity.conversation?.conversationType) {
    case 'channel':
      return 'channel';
    case 'groupChat':
      return 'group';
    default:
      return activity.conversation?.isGroup ? 'group' : 'personal';
  }
}

/** The Teams team of a channel conversation; its General channel has the team's id. */
export function teamOf(activity: Partial<Activity>): { id: string; name?: string | undefined } | undefined {
  const team = (activity.channelData as { team?: { id?: unknown; name?: unknown } } | undefined)?.team;
  if (typeof team?.id !== 'string' || team.id === '') return undefined;
  return { id: team.id, name: typeof team.name === 'string' ? team.name : undefined };
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * The command words of a message: the bot's @mention removed (Teams puts `<at>Bot</at>` in the text), other mentions
 * reduced to their names, and formatted (HTML) text reduced to plain text.
 */
export function commandText(activity: Partial<Activity>): string {
  let text = activity.text ?? '';
  const botId = activity.recipient?.id;
  if (botId) {
    for (const entity of activity.entities ?? []) {
      const mentioned = (entity as { type?: string; mentioned?: { id?: string }; text?: string }).mentioned;
      const mentionText = (entity as { text?: unknown }).text;
      if (entity.type === 'mention' && mentioned?.id === botId && typeof mentionText === 'string') {
        text = text.split(mentionText).join(' ');
      }
    }
  }
  text = text.replace(/<at>([^<]*)<\/at>/g, '$1');
  if (activity.textFormat === 'xml' || /<\/?(p|div|span|br|a|b|i|strong|em)\b[^>]*>/i.test(text)) {
    text = text.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]+>/g, '');
  }
  text = text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
  return text.trim();
}

/** undefined when the activity lacks what every command needs (tenant, sender, conversation). */
export function toCommandInput(activity: Partial<Activity>, messageId = activity.id): CommandInput | undefined {
  const tenant = tenantOf(activity);
  const from = activity.from;
  const conversation = activity.conversation;
  if (!tenant || !from?.id || !conversation?.id) return undefined;
  const channelName = (activity.channelData as { channel?: { name?: unknown } } | undefined)?.channel?.name;
  return {
    platform: 'teams',
    tenant,
    user: { id: from.id, name: from.name || 'Someone', aadObjectId: from.aadObjectId },
    conversation: {
      id: channelConversationId(conversation.id),
      kind: conversationKind(activity),
      name: typeof channelName === 'string' ? channelName : conversation.name,
    },
    text: commandText(activity),
    messageId,
  };
}

export function toActionInput(command: CommandInput, requestId: string): ActionInput {
  return { platform: command.platform, tenant: command.tenant, user: command.user, requestId };
}

/** Was the bot itself among the members added or removed? (Install and uninstall arrive this way too.) */
export function concernsBot(activity: Partial<Activity>, members: readonly { id: string }[] | undefined): boolean {
  const botId = activity.recipient?.id;
  return Boolean(botId && members?.some((m) => m.id === botId));
}
