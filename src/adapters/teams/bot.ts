/** Routes Teams activities to the handlers; each handler is one small file. */
import { TeamsActivityHandler, type InvokeResponse, type TurnContext } from 'botbuilder';
import { concernsBot } from './activity-input.js';
import { onCardAction } from './on-card-action.js';
import { onInstalled, onUninstalled } from './on-install.js';
import { onMessage } from './on-message.js';
import type { TeamsDeps } from './types.js';

export class TeamsBot extends TeamsActivityHandler {
  constructor(private readonly deps: TeamsDeps) {
    super();
    this.onMessage(async (context, next) => {
      await onMessage(context, deps);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await onInstalled(context, deps);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await onUninstalled(context, deps);
      await next();
    });
    // Teams also announces an install as the bot joining the conversation's members (and removal likewise).
    this.onMembersAdded(async (context, next) => {
      if (concernsBot(context.activity, context.activity.membersAdded)) await onInstalled(context, deps);
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      if (concernsBot(context.activity, context.activity.membersRemoved)) await onUninstalled(context, deps);
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === 'adaptiveCard/action') return onCardAction(context, this.deps);
    return super.onInvokeActivity(context);
  }
}
