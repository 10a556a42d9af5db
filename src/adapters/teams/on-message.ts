/** A chat message to the bot: a command, answered with a card in the same conversation. */
import type { TurnContext } from 'botbuilder';
import { checkWorkspace } from '../../core/access.js';
import { showReply, type ReplyPoster } from '../../core/card-first.js';
import { runCommand } from '../../core/dispatch.js';
import { errorReply, type Reply } from '../../core/replies.js';
import { messageActivity } from './cards.js';
import { mapConnectorError } from './errors.js';
import { toCommandInput } from './activity-input.js';
import { rememberConversation } from './references.js';
import type { TeamsDeps } from './types.js';

/** How long a Teams activity id is remembered: Teams re-sends within seconds to minutes. */
const ACTIVITY_MEMORY_MS = 24 * 60 * 60 * 1000;

/**
 * Run the command and answer it in the turn. Teams re-sends an activity it thinks went unanswered: the activity is
 * recorded as answered only once its answer was sent, so a re-send after a crash or a failed reply finishes the work
 * (the command's request is found again, and its card posted if it never was); a re-send of an answered activity is
 * ignored. A reply that could not be sent fails the turn, so Teams is not told it was answered.
 */
export async function onMessage(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const { activity } = context;
  const key = activity.id ? `teams:activity:${activity.conversation.id}:${activity.id}` : undefined;
  if (!key) return answer(context, deps, undefined);
  // the same activity delivered twice at once: the second waits for the first, which answers it
  const running = deps.turns.get(key);
  if (running) {
    await running.catch(() => undefined);
    deps.logger.info({ activityId: activity.id }, 'Teams delivered a message twice at once; answered once');
    return;
  }
  const turn = answer(context, deps, key);
  deps.turns.set(key, turn);
  try {
    await turn;
  } finally {
    deps.turns.delete(key);
  }
}

async function answer(context: TurnContext, deps: TeamsDeps, key: string | undefined): Promise<void> {
  const { activity } = context;
  const input = toCommandInput(activity);
  if (!input) {
    deps.logger.warn({ activityId: activity.id }, 'Teams message without tenant, sender or conversation; ignored');
    return;
  }
  const now = deps.core.clock.now();
  let reply: Reply;
  try {
    checkWorkspace(deps.core.settings.access, 'teams', input.tenant);
    const [, answered] = await Promise.all([
      rememberConversation(deps.core.store, activity, input.tenant, now.toISOString(), { unlessRecent: true }),
      key ? deps.core.store.dedupe.seen(key, now) : false,
    ]);
    if (answered) {
      deps.logger.info({ activityId: activity.id }, 'Teams re-sent a message already answered; ignored');
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
  if (!key) return;
  try {
    await deps.core.store.dedupe.firstSeen(key, new Date(now.getTime() + ACTIVITY_MEMORY_MS), now);
  } catch (err) {
    // answered, but not recorded as answered: a re-send would be answered again (its request is found, not made)
    deps.logger.warn({ err, activityId: activity.id }, 'Teams: answered, but could not record it');
  }
}

/** Replies in the turn's conversation: a new message, and in-place updates of it; failures as core errors. */
function teamsPoster(context: TurnContext): ReplyPoster {
  return {
    platform: 'teams',
    conversationId: context.activity.conversation.id,
    async post(reply) {
      try {
        return (await context.sendActivity(messageActivity(reply)))?.id;
      } catch (err) {
        throw mapConnectorError(err);
      }
    },
    async update(messageId, reply) {
      if (!messageId) return;
      try {
        await context.updateActivity({ ...messageActivity(reply), id: messageId });
      } catch (err) {
        throw mapConnectorError(err);
      }
    },
  };
}
