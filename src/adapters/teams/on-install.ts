/**
 * The app added to or removed from a team, chat or personal scope: keep the conversation reference for proactive
 * posts, and subscribe a team's General channel (its id is the team's id) on install.
 */
import type { TurnContext } from 'botbuilder';
import { checkWorkspace } from '../../core/access.js';
import { PermissionError } from '../../core/errors.js';
import { scopeOf } from '../../core/model.js';
import { channelConversationId, teamOf, tenantOf } from './activity-input.js';
import { forgetConversation, rememberConversation } from './references.js';
import type { TeamsDeps } from './types.js';

export async function onInstalled(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const { activity } = context;
  const tenant = tenantOf(activity);
  if (!tenant || !activity.conversation.id) return;
  try {
    checkWorkspace(deps.core.settings.access, 'teams', tenant);
  } catch (err) {
    if (!(err instanceof PermissionError)) throw err;
    deps.logger.info({ tenant }, 'installed in a Teams tenant that is not allowed; not subscribing');
    return;
  }
  const at = deps.core.clock.now().toISOString();
  await rememberConversation(deps.core.store, activity, tenant, at);
  const team = teamOf(activity);
  if (!team) return;
  // The General channel's conversation id is the team id; posts there need a reference to it.
  if (channelConversationId(activity.conversation.id) !== team.id) {
    await rememberConversation(
      deps.core.store,
      { ...activity, conversation: { ...activity.conversation, id: team.id } },
      tenant,
      at,
    );
  }
  const { created } = await deps.core.store.subscriptions.subscribe({
    platform: 'teams',
    scope: scopeOf('teams', tenant),
    channelId: team.id,
    channelName: team.name ? `${team.name} / General` : 'General',
    createdBy: 'installation',
    createdAt: at,
  });
  if (created) deps.logger.info({ team: team.id }, 'installed in a team: General channel subscribed');
}

export async function onUninstalled(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const { activity } = context;
  if (!activity.conversation.id) return;
  const at = deps.core.clock.now().toISOString();
  await forgetConversation(deps.core.store, activity.conversation.id);
  const team = teamOf(activity);
  if (team) {
    await forgetConversation(deps.core.store, team.id);
    await deps.core.store.subscriptions.disable('teams', team.id, 'app uninstalled from the team', at);
    deps.logger.info({ team: team.id }, 'uninstalled from a team: General channel unsubscribed');
  }
}
