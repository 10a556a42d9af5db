/**
 * "@bot request relationship …" in a channel: like the command, recorded as a job before Slack is answered. Slack
 * retries events; the job's key is the event id, so a retried event is stored (and run) once.
 */
import type { AppMentionEvent } from '@slack/types';
import { newJob } from '../../core/outbox/types.js';
import { commandInput, mentionText } from './input.js';
import type { SlackDeps } from './types.js';

export async function onMention(
  deps: SlackDeps,
  args: {
    event: AppMentionEvent;
    body: { event_id?: string; team_id?: string };
    botUserId: string | undefined;
  },
): Promise<void> {
  const { event, body } = args;
  const teamId = event.team ?? body.team_id;
  if (!teamId || !event.user) return;
  const who = { teamId, userId: event.user, userName: event.user, channelId: event.channel };
  const job = newJob(
    'command',
    `slack:${body.event_id ?? `${event.channel}:${event.ts}`}`,
    {
      input: commandInput(who, mentionText(event.text, args.botUserId), event.ts),
      replyTo: { platform: 'slack', conversationId: event.channel, userId: event.user, threadTs: event.thread_ts },
    },
    deps.core.clock.now(),
  );
  await deps.submit([job]);
  deps.intake.accepted(job.key);
}
