/** Replies into a Slack conversation. */
import type { RespondFn } from '@slack/bolt';
import { showReply, type ReplyPoster } from '../../core/card-first.js';
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

/**
 * Post a core reply (see `showReply`): cards everyone sees with chat.postMessage — through the command's response_url
 * where the bot is not a member — and private answers as ephemerals. A card is updated with chat.update, or through
 * the response_url when it went that way.
 */
export async function postReply(deps: SlackDeps, client: Client, where: Where, reply: Reply): Promise<void> {
  await showReply(deps.core, slackPoster(deps, client, where), reply);
}

function slackPoster(deps: SlackDeps, client: Client, where: Where): ReplyPoster {
  return {
    platform: 'slack',
    conversationId: where.channelId,
    async post(reply) {
      const message = replyMessage(reply);
      if (reply.audience === 'user') {
        if (where.respond) await where.respond({ response_type: 'ephemeral', ...message });
        else await client.chat.postEphemeral({ channel: where.channelId, user: where.userId, ...message });
        return undefined;
      }
      try {
        const posted = await client.chat.postMessage({
          channel: where.channelId,
          ...message,
          ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
        });
        return posted.ts;
      } catch (err) {
        const code = slackErrorCode(err);
        // A private channel or DM the bot is not in: the command's response_url still reaches it.
        if (!where.respond || !code || !GONE_ERRORS.has(code)) throw err;
        deps.logger.info({ channelId: where.channelId, code }, 'posting through the response_url instead');
        await where.respond({ response_type: 'in_channel', ...message });
        return undefined;
      }
    },
    async update(ts, reply) {
      const message = replyMessage(reply);
      if (ts) await client.chat.update({ channel: where.channelId, ts, ...message });
      // posted through the response_url: that message can be replaced through it too
      else if (where.respond) await where.respond({ response_type: 'in_channel', replace_original: true, ...message });
    },
  };
}
