/** Replies into a Slack conversation: cards everyone sees with chat.postMessage, private answers as ephemerals. */
import type { RespondFn } from '@slack/bolt';
import { attachCard } from '../../core/actions/attach-card.js';
import type { Reply } from '../../core/replies.js';
import { replyMessage } from './blocks.js';
import { GONE_ERRORS, slackErrorCode } from './errors.js';
import type { Client, SlackDeps } from './types.js';

export interface Where {
  readonly channelId: string;
  readonly userId: string;
  /** the command's response_url: works where the bot is not a channel member */
  readonly respond?: RespondFn | undefined;
  /** reply in this thread */
  readonly threadTs?: string | undefined;
}

/** Post a core reply; a request card is remembered (channel + ts) so it can be updated in place later. */
export async function postReply(deps: SlackDeps, client: Client, where: Where, reply: Reply): Promise<void> {
  const message = replyMessage(reply);
  if (reply.audience === 'user') {
    if (where.respond) await where.respond({ response_type: 'ephemeral', ...message });
    else await client.chat.postEphemeral({ channel: where.channelId, user: where.userId, ...message });
    return;
  }
  let ts: string | undefined;
  try {
    const posted = await client.chat.postMessage({
      channel: where.channelId,
      ...message,
      ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
    });
    ts = posted.ts;
  } catch (err) {
    const code = slackErrorCode(err);
    // A private channel or DM the bot is not in: the command's response_url still reaches it.
    if (!where.respond || !code || !GONE_ERRORS.has(code)) throw err;
    deps.logger.info({ channelId: where.channelId, code }, 'posting through the response_url instead');
    await where.respond({ response_type: 'in_channel', ...message });
  }
  if (reply.kind === 'card' && reply.card === 'request') {
    if (ts) {
      await attachCard(deps.core, reply.data.requestId, {
        platform: 'slack',
        conversationId: where.channelId,
        messageId: ts,
      });
    } else {
      deps.logger.warn({ requestId: reply.data.requestId }, 'the Slack card has no ts; it cannot be updated in place');
    }
  }
}
