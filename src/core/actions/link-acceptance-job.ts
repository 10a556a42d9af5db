/**
 * Job topic `acceptance-link`: a person's answer to an acceptance the bot could not decide, acknowledged before it
 * ran (Slack). Running it twice changes nothing the second time; a refusal, or an answer someone gave first, is told
 * to the person who clicked only.
 */
import { NotFoundError } from '../errors.js';
import { defineJob } from '../outbox/types.js';
import type { ReplyAddress } from '../ports.js';
import { errorReply, text } from '../replies.js';
import { linkAcceptance, type LinkAcceptanceInput } from './link-acceptance.js';

export interface AcceptanceLinkPayload {
  readonly input: LinkAcceptanceInput;
  readonly replyTo: ReplyAddress;
}

export const acceptanceLinkJob = defineJob<AcceptanceLinkPayload>({
  async run({ payload }, { deps }) {
    const { input, replyTo } = payload;
    const notifier = deps.notifiers.find((n) => n.platform === replyTo.platform);
    if (!notifier) throw new NotFoundError(`${replyTo.platform} is turned off; the click cannot be answered.`);
    const poster = notifier.poster(replyTo);
    try {
      const { acceptance, changed } = await linkAcceptance(deps, input);
      const decided = acceptance.decided;
      if (!changed && decided && decided.requestId !== input.requestId) {
        const what = decided.requestId ? `linked to ${decided.requestId}` : 'marked as none of our requests';
        await poster.post(text(`${decided.by} already decided: this acceptance was ${what}.`, 'info'));
      }
    } catch (err) {
      const refusal = errorReply(err);
      if (!refusal) throw err;
      await poster.post(refusal);
    }
  },
});
