/** A chat message to the bot: a command, answered with a card in the same conversation. */
import { CardFactory, type Activity, type TurnContext } from 'botbuilder';
import { checkWorkspace } from '../../core/access.js';
import { attachCard } from '../../core/actions/attach-card.js';
import { handleCommand } from '../../core/dispatch.js';
import { runFollowUp } from '../../core/actions/follow-up.js';
import { errorReply, type FollowUp, type Reply } from '../../core/replies.js';
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
    reply = await handleCommand(deps.core, { ...input, cardFirst: true });
  } catch (err) {
    const known = errorReply(err);
    if (!known) throw err;
    reply = known;
  }
  const sent = await context.sendActivity(messageActivity(reply));
  if (reply.kind === 'card' && reply.card === 'request') {
    if (sent?.id) {
      await attachCard(deps.core, reply.data.requestId, {
        platform: 'teams',
        conversationId: activity.conversation.id,
        messageId: sent.id,
      });
      if (reply.followUp) await followUp(context, deps, reply.followUp, sent.id);
    } else {
      deps.logger.warn(
        { requestId: reply.data.requestId },
        'Teams accepted the card without an id; it cannot be updated in place',
      );
      if (reply.followUp) await runFollowUp(deps.core, reply.followUp).catch(logFollowUpFailure(deps, reply.followUp));
    }
  }
}

/** Finish the reply's follow-up and show its result on the card just posted. Failures are logged, not re-thrown. */
async function followUp(context: TurnContext, deps: TeamsDeps, work: FollowUp, cardId: string): Promise<void> {
  try {
    const next = await runFollowUp(deps.core, work);
    if (next) await context.updateActivity({ ...messageActivity(next), id: cardId });
  } catch (err) {
    logFollowUpFailure(deps, work)(err);
  }
}

function logFollowUpFailure(deps: TeamsDeps, work: FollowUp) {
  return (err: unknown) => {
    deps.logger.warn({ err, requestId: work.requestId }, 'Teams: the card was posted; finishing the request failed');
  };
}
