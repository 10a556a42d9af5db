/**
 * Job topic `command`: a chat command (or a submitted request form) that was acknowledged before it ran — Slack's
 * 3-second rule — recorded first, so a crash after the acknowledgement loses nothing. The job runs the command and
 * answers through the platform's poster. It must be idempotent, because a crash after answering runs it again: the
 * command's message id makes a replayed `request` find the request it created (its card is posted if it never was,
 * or refreshed in place if it was); read-only answers (list, help) may be sent twice in that window.
 */
import { submitRequestForm, type RequestFormFields } from '../actions/submit-request-form.js';
import { showReply } from '../card-first.js';
import { runCommand } from '../dispatch.js';
import { NotFoundError } from '../errors.js';
import { defineJob } from '../outbox/types.js';
import type { ReplyAddress } from '../ports.js';
import { errorReply } from '../replies.js';
import type { CommandInput } from './types.js';

export interface CommandPayload {
  /** `messageId` names the command, so running it twice makes one request */
  readonly input: CommandInput;
  readonly replyTo: ReplyAddress;
  /** a submitted request form, instead of the command's text */
  readonly form?: RequestFormFields | undefined;
}

/**
 * Commands run at most this many at a time (lanes by a hash of the message id): a flood of acknowledged commands
 * must not starve the acknowledgements of the next ones of CPU.
 */
export const COMMANDS_AT_ONCE = 8;

export const commandJob = defineJob<CommandPayload>({
  lane: (payload) => `command:${spread(payload.input.messageId ?? payload.input.text, COMMANDS_AT_ONCE)}`,
  async run({ payload, inDoubt, createdAt }, { deps }) {
    const { input, replyTo, form } = payload;
    const notifier = deps.notifiers.find((n) => n.platform === replyTo.platform);
    if (!notifier) throw new NotFoundError(`${replyTo.platform} is turned off; the command cannot be answered.`);
    const cardFirst = { ...input, cardFirst: true };
    const reply = form
      ? await submitRequestForm(deps, cardFirst, form).catch((err: unknown) => {
          const known = errorReply(err);
          if (!known) throw err;
          return known;
        })
      : await runCommand(deps, cardFirst);
    await showReply(deps, notifier.poster(replyTo), reply, inDoubt ? { since: createdAt } : undefined);
  },
});

/** A small, stable spread of strings over `n` buckets. */
function spread(text: string, n: number): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) >>> 0;
  return hash % n;
}
