/** Replies into a Slack conversation, from a job: the poster for a reply address (see `showReply`). */
import type { ReplyPoster } from '../../core/card-first.js';
import type { Logger, ReplyAddress } from '../../core/ports.js';
import { replyMessage } from './blocks.js';
import { GONE_ERRORS, mapSlackError, slackErrorCode } from './errors.js';
import { findInHistory } from './history.js';
import { respondVia } from './respond.js';
import type { Client } from './types.js';

/** `metadata.event_type` of request cards (Slack: lowercase letters, digits, underscores). */
export const CARD_EVENT_TYPE = 'partner_relationship_card';

/**
 * Cards everyone sees go out with chat.postMessage — through the response_url where the bot is not a member — and
 * private answers as ephemerals. A card is updated with chat.update, or through the response_url when it went that
 * way. Failures are core errors (the job retries what can be retried).
 */
export function slackPoster(client: Client, logger: Logger, where: ReplyAddress): ReplyPoster {
  const respond = where.responseUrl ? respondVia(where.responseUrl) : undefined;
  return {
    platform: 'slack',
    conversationId: where.conversationId,
    async post(reply) {
      const message = replyMessage(reply);
      try {
        if (reply.audience === 'user') {
          if (respond) await respond({ response_type: 'ephemeral', ...message });
          else await client.chat.postEphemeral({ channel: where.conversationId, user: where.userId, ...message });
          return undefined;
        }
        try {
          const posted = await client.chat.postMessage({
            channel: where.conversationId,
            ...message,
            ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
            // a request card says which request it is, so a restart can find it instead of posting it again
            ...(reply.kind === 'card' && reply.card === 'request'
              ? { metadata: { event_type: CARD_EVENT_TYPE, event_payload: { request_id: reply.data.requestId } } }
              : {}),
          });
          return posted.ts;
        } catch (err) {
          const code = slackErrorCode(err);
          // A private channel or DM the bot is not in: the command's response_url still reaches it.
          if (!respond || !code || !GONE_ERRORS.has(code)) throw err;
          logger.info({ channelId: where.conversationId, code }, 'posting through the response_url instead');
          await respond({ response_type: 'in_channel', ...message });
          return undefined;
        }
      } catch (err) {
        throw mapSlackError(err);
      }
    },
    async findCard(requestId, since) {
      const found = await findInHistory(
        client,
        where.conversationId,
        since,
        (m) => m.event_type === CARD_EVENT_TYPE && m.event_payload?.['request_id'] === requestId,
      );
      return typeof found === 'string' ? found : undefined;
    },
    async update(ts, reply) {
      const message = replyMessage(reply);
      try {
        if (ts) await client.chat.update({ channel: where.conversationId, ts, ...message });
        // posted through the response_url: that message can be replaced through it too
        else if (respond) await respond({ response_type: 'in_channel', replace_original: true, ...message });
      } catch (err) {
        throw mapSlackError(err);
      }
    },
  };
}
