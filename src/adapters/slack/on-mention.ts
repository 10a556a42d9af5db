/** "@bot request relationship …" in a channel: like the command; Slack retries events, so each event id runs once. */
import type { AppMentionEvent } from '@slack/types';
import { handleCommand } from '../../core/dispatch.js';
import { commandInput, mentionText } from './input.js';
import { postReply } from './post.js';
import type { Client, SlackDeps } from './types.js';

/** How long an event id is remembered: Slack retries for up to about 5 minutes (hours with delayed events). */
const EVENT_MEMORY_MS = 24 * 60 * 60 * 1000;

export async function onMention(
  deps: SlackDeps,
  args: {
    event: AppMentionEvent;
    body: { event_id?: string; team_id?: string };
    botUserId: string | undefined;
    client: Client;
  },
): Promise<void> {
  const { event, body, client } = args;
  const now = deps.core.clock.now();
  if (body.event_id) {
    const fresh = await deps.core.store.dedupe.firstSeen(
      `slack:event:${body.event_id}`,
      new Date(now.getTime() + EVENT_MEMORY_MS),
      now,
    );
    if (!fresh) {
      deps.logger.info({ eventId: body.event_id }, 'Slack re-sent an event already handled; ignored');
      return;
    }
  }
  const teamId = event.team ?? body.team_id;
  if (!teamId || !event.user) return;
  const who = { teamId, userId: event.user, userName: event.user, channelId: event.channel };
  const reply = await handleCommand(deps.core, {
    ...commandInput(who, mentionText(event.text, args.botUserId), event.ts),
    cardFirst: true,
  });
  await postReply(deps, client, { channelId: event.channel, userId: event.user, threadTs: event.thread_ts }, reply);
}
