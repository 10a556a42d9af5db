/**
 * `/relationship …`: acknowledged at once (Slack allows 3 s), then answered. A request with missing or wrong
 * arguments opens the form modal with the trigger id (valid 3 s, once) before anything slow runs.
 */
import type { AckFn, RespondArguments, RespondFn, SlashCommand } from '@slack/bolt';
import { checkRequester, checkWorkspace } from '../../core/access.js';
import { requestFormForText } from '../../core/commands/registry.js';
import { handleCommand } from '../../core/dispatch.js';
import { errorReply } from '../../core/replies.js';
import { requestFormModal, textMessage } from './blocks.js';
import { commandInput, type SlackWho } from './input.js';
import { postReply } from './post.js';
import type { Client, SlackDeps } from './types.js';

export async function onCommand(
  deps: SlackDeps,
  args: { command: SlashCommand; ack: AckFn<string | RespondArguments>; respond: RespondFn; client: Client },
): Promise<void> {
  const { command, ack, respond, client } = args;
  const who: SlackWho = {
    teamId: command.team_id,
    userId: command.user_id,
    userName: command.user_name,
    channelId: command.channel_id,
    channelName: command.channel_name,
  };
  // Busy is answered first, and with a message built once: under a flood the answer must cost next to nothing.
  if (deps.backlog.full) {
    deps.backlog.noteRefused();
    await ack(busyMessage());
    return;
  }
  const text = command.text;
  const form = requestFormForText(text);
  if (form) {
    try {
      checkWorkspace(deps.core.settings.access, 'slack', who.teamId);
      checkRequester(deps.core.settings.access, { id: who.userId });
    } catch (err) {
      const reply = errorReply(err);
      if (!reply) throw err;
      await ack({ response_type: 'ephemeral', ...textMessage(reply.text) });
      return;
    }
    await ack();
    await client.views.open({
      trigger_id: command.trigger_id,
      view: requestFormModal(form, JSON.stringify({ channelId: who.channelId })),
    });
    return;
  }
  await ack();
  const queued = deps.backlog.offer(async () => {
    // The trigger id is unique per invocation: a repeated delivery of the same command makes one request.
    const reply = await handleCommand(deps.core, { ...commandInput(who, text, command.trigger_id), cardFirst: true });
    await postReply(deps, client, { channelId: who.channelId, userId: who.userId, respond }, reply);
  });
  // the backlog filled up while the ack was on its way: say so instead of dropping the command silently
  if (!queued) {
    deps.backlog.noteRefused();
    await respond({ response_type: 'ephemeral', text: BUSY });
  }
}

export const BUSY = 'The bot is busy right now, so nothing was done. Please try again in a minute.';
let busy: RespondArguments | undefined;
const busyMessage = (): RespondArguments => (busy ??= { response_type: 'ephemeral', ...textMessage(BUSY) });
