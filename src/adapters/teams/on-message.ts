/** A chat message to the bot: a command, answered with a card in the same conversation. */
import { CardFactory, type Activity, type TurnContext } from 'botbuilder';
import { checkWorkspace } from '../../core/access.js';
import { showReply, type ReplyPoster } from '../../core/card-first.js';
import { runCommand } from '../../core/dispatch.js';
import { errorReply, type Reply } from '../../core/replies.js';
import { replyCard, replySummary } from './cards.js';
import { toCommandInput } from './activity-input.js';
import { rememberConversation } from './references.js';
import type { TeamsDeps } from './types.js';

/** How long a Teams activity id is remembered: Teams re-sends within seconds to minutes. */
const ACTIVITY_MEMORY_MS = 24 * 60 * 60 * 1000;

export function messageActivity(reply: Reply): Partial<Activity> {
  return { type: 'message', summary: replySummary(reply), attachments: [CardFactory.adaptiveCard(replyCard(reply))] };
}

export async function onMessage(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const { activity } = context;
  const input = toCommandInput(activity);
  if (!input) {
    deps.logger.warn({ activityId: activity.id }, 'Teams message without tenant, sender or conversation; ignored');
    return;
  }
  let reply: Reply;
  try {
    const now = deps.core.clock.now();
    checkWorkspace(deps.core.settings.access, 'teams', input.tenant);
    // Teams re-sends a message it thinks timed out (~15 s): the same activity is handled once.
    const key = activity.id ? `teams:activity:${activity.conversation.id}:${activity.id}` : undefined;
    const [, first] = await Promise.all([
      rememberConversation(deps.core.store, activity, input.tenant, now.toISOString(), { unlessRecent: true }),
      key ? deps.core.store.dedupe.firstSeen(key, new Date(now.getTime() + ACTIVITY_MEMORY_MS), now) : true,
    ]);
    if (!first) {
      deps.logger.info({ activityId: activity.id }, 'Teams re-sent a message already handled; ignored');
      return;
    }
    // the card goes out at once; admin access (two Graph calls) follows and the card is updated in place
    reply = await runCommand(deps.core, { ...input, cardFirst: true });
  } catch (err) {
    const known = errorReply(err);
    if (!known) throw err;
    reply = known;
  }
  await showReply(deps.core, teamsPoster(context), reply);
}

/** Replies in the turn's conversation: a new message, and in-place updates of it. */
function teamsPoster(context: TurnContext): ReplyPoster {
  return {
    platform: 'teams',
    conversationId: context.activity.conversation.id,
    async post(reply) {
      return (await context.sendActivity(messageActivity(reply)))?.id;
    },
    async update(messageId, reply) {
      if (messageId) await context.updateActivity({ ...messageActivity(reply), id: messageId });
    },
  };
}
