/** Replies into a Slack conversation: cards everyone sees with chat.postMessage, private answers as ephemerals. */
import type { RespondFn } from '@slack/bolt';
import { attachCard } from '../../core/actions/attach-card.js';
import { runFollowUp } from '../../core/actions/follow-up.js';
import type { FollowUp, Reply } from '../../core/replies.js';
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
 * Post a core reply; a request card is remembered (channel + ts) so it can be updated in place later. A reply's
 * follow-up (admin access asked for after the card went out) runs next, and its card replaces the one posted.
 */
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
    if (reply.followUp) await followUp(deps, client, where, reply.followUp, ts);
  }
}

async function followUp(deps: SlackDeps, client: Client, where: Where, work: FollowUp, ts: string | undefined) {
  try {
    const next = await runFollowUp(deps.core, work);
    if (!next) return;
    const message = replyMessage(next);
    if (ts) await client.chat.update({ channel: where.channelId, ts, ...message });
    // posted through the response_url: that message can be replaced through it too
    else if (where.respond) await where.respond({ response_type: 'in_channel', replace_original: true, ...message });
  } catch (err) {
    deps.logger.warn({ err, requestId: work.requestId }, 'Slack: the card was posted; finishing the request failed');
  }
}
