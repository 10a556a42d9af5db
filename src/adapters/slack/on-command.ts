/**
 * `/relationship …`: recorded as a job in the store, then acknowledged (Slack allows 3 s, and never retries a slash
 * command), then run by the job queue — so a crash right after the acknowledgement loses nothing. A request with
 * missing or wrong arguments opens the form modal with the trigger id (valid 3 s, once) before the acknowledgement.
 */
import type { AckFn, RespondArguments, SlashCommand } from '@slack/bolt';
import { checkRequester, checkWorkspace } from '../../core/access.js';
import { requestFormForText } from '../../core/commands/registry.js';
import { newJob } from '../../core/outbox/types.js';
import { errorReply } from '../../core/replies.js';
import { requestFormModal, textMessage } from './blocks.js';
import { commandInput, type SlackWho } from './input.js';
import type { Client, SlackDeps } from './types.js';

export async function onCommand(
  deps: SlackDeps,
  args: { command: SlashCommand; ack: AckFn<string | RespondArguments>; client: Client },
): Promise<void> {
  const { command, ack, client } = args;
  // Busy is answered first, and with a message built once: under a flood the answer must cost next to nothing.
  if (deps.intake.full) {
    deps.intake.noteRefused();
    await ack(busyMessage());
    return;
  }
  const who: SlackWho = {
    teamId: command.team_id,
    userId: command.user_id,
    userName: command.user_name,
    channelId: command.channel_id,
    channelName: command.channel_name,
  };
  const text = command.text;
  const form = requestFormForText(text);
  if (form) {
    try {
      checkWorkspace(deps.core.settings.access, 'slack', who.teamId);
      checkRequester(deps.core.settings.access, { id: who.userId });
    } catch (err) {
      await ack(refusal(err));
      return;
    }
    await client.views.open({
      trigger_id: command.trigger_id,
      view: requestFormModal(form, JSON.stringify({ channelId: who.channelId })),
    });
    await ack();
    return;
  }
  // The trigger id is unique per invocation: the job's key, and the command's message id (one request per command).
  const job = newJob(
    'command',
    `slack:${who.teamId}:${command.trigger_id}`,
    {
      input: commandInput(who, text, command.trigger_id),
      replyTo: {
        platform: 'slack',
        conversationId: who.channelId,
        userId: who.userId,
        responseUrl: command.response_url,
      },
    },
    deps.core.clock.now(),
  );
  try {
    await deps.submit([job]);
  } catch (err) {
    await ack(refusal(err)); // e.g. the store is down: "nothing was changed"
    return;
  }
  deps.intake.accepted(job.key);
  await ack();
}

function refusal(err: unknown): RespondArguments {
  const reply = errorReply(err);
  if (!reply) throw err;
  return { response_type: 'ephemeral', ...textMessage(reply.text) };
}

export const BUSY = 'The bot is busy right now, so nothing was done. Please try again in a minute.';
let busy: RespondArguments | undefined;
const busyMessage = (): RespondArguments => (busy ??= { response_type: 'ephemeral', ...textMessage(BUSY) });
