/**
 * Bolt 5 wired to our HTTP route and the core: the App, its Web API client (pointed at SLACK_API_URL, with bounded
 * retries instead of the default ten retries over 30 minutes) and the listeners.
 */
import { App, type Authorize, type BlockAction, type ButtonAction, type ViewSubmitAction } from '@slack/bolt';
import { LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import type { CoreDeps } from '../../core/commands/types.js';
import type { NewJob } from '../../core/outbox/types.js';
import type { Logger } from '../../core/ports.js';
import type { Config } from '../../config.js';
import { SlackNotifier } from './notifier.js';
import { onCommand } from './on-command.js';
import {
  onEditDraft,
  onLinkAcceptance,
  onOpenRequestForm,
  onSetTenant,
  onStatusButton,
  type ActionArgs,
} from './on-action.js';
import { onMention } from './on-mention.js';
import { onEditDraftSubmitted, onRequestFormSubmitted, onSetTenantSubmitted, type ViewArgs } from './on-view.js';
import { RouteReceiver } from './route.js';
import { Intake } from './intake.js';
import { reportScopes } from './scopes.js';
import type { SlackDeps } from './types.js';

export const SLASH_COMMAND = '/relationship';

/** Network failures and 5xx: three tries within a few seconds; 429 waits for Retry-After (also at most twice). */
export const RETRY_CONFIG = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 4000 };

/** Bolt's logger interface over ours. */
function boltLogger(logger: Logger) {
  let level = LogLevel.INFO;
  const line = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  return {
    debug: (...args: unknown[]) => {
      logger.debug({ component: 'bolt' }, line(args));
    },
    info: (...args: unknown[]) => {
      logger.debug({ component: 'bolt' }, line(args));
    },
    warn: (...args: unknown[]) => {
      logger.warn({ component: 'bolt' }, line(args));
    },
    error: (...args: unknown[]) => {
      logger.error({ component: 'bolt' }, line(args));
    },
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * The bot's identity from auth.test, asked once and kept; a failure is not kept, so the next request asks again
 * (Bolt's built-in single-token mode would cache a failed start-up call forever).
 */
function botAuthorize(client: WebClient, token: string): Authorize<boolean> {
  let identity: Promise<{ botId: string | undefined; botUserId: string | undefined }> | undefined;
  return async () => {
    identity ??= client.auth.test().then((r) => ({ botId: r.bot_id, botUserId: r.user_id }));
    try {
      const { botId, botUserId } = await identity;
      return { botToken: token, ...(botId ? { botId } : {}), ...(botUserId ? { botUserId } : {}) };
    } catch (err) {
      identity = undefined;
      throw err;
    }
  };
}

/** One handler per button `action_id` of the cards in `cards/slack/` (a test checks every button there is here). */
export const BUTTON_HANDLERS: Readonly<Record<string, (deps: SlackDeps, args: ActionArgs) => Promise<void>>> = {
  edit_draft: onEditDraft,
  mark_sent: onStatusButton('markSent'),
  retry_admin_access: onStatusButton('retryAdminAccess'),
  cancel_request: onStatusButton('cancel'),
  request_admin_again: onStatusButton('requestAdminAgain'),
  terminate_admin_access: onStatusButton('terminateAdminAccess'),
  // the same, under a notification: the notification stays as it is, the request's card changes
  notice_request_admin_again: onStatusButton('requestAdminAgain', 'notification'),
  notice_terminate_admin_access: onStatusButton('terminateAdminAccess', 'notification'),
  open_request_form: onOpenRequestForm,
  link_acceptance: onLinkAcceptance,
  set_tenant: onSetTenant,
};

/** One handler per modal `callback_id`. */
export const VIEW_HANDLERS: Readonly<Record<string, (deps: SlackDeps, args: ViewArgs) => Promise<void>>> = {
  edit_draft: onEditDraftSubmitted,
  request_form: onRequestFormSubmitted,
  set_tenant: onSetTenantSubmitted,
};

export interface SlackParts {
  readonly receiver: RouteReceiver;
  readonly notifier: SlackNotifier;
  readonly signingSecret: string;
  /** the bound on acknowledged work not yet done */
  readonly intake: Intake;
}

export function createSlack(
  slack: Config['slack'],
  core: CoreDeps,
  logger: Logger,
  submit: (jobs: readonly NewJob[]) => Promise<void>,
): SlackParts {
  const token = slack.botToken ?? '';
  const signingSecret = slack.signingSecret ?? '';
  const clientOptions: WebClientOptions = {
    slackApiUrl: slack.apiUrl,
    retryConfig: RETRY_CONFIG,
    timeout: 10_000,
    logger: boltLogger(logger),
  };
  const client = new WebClient(token, clientOptions);
  const notifier = new SlackNotifier(client, slack.notifyChannel, logger);
  const receiver = new RouteReceiver();
  const app = new App({
    receiver,
    authorize: botAuthorize(client, token),
    clientOptions,
    logger: boltLogger(logger),
    // no listener keeps per-conversation state; Bolt's default store costs an Error per event (5 % of CPU under load)
    convoStore: false,
  });
  const intake = new Intake(logger);
  const deps: SlackDeps = { core, logger, notifier, intake, submit };
  void reportScopes(client, logger);

  app.command(SLASH_COMMAND, async ({ command, ack, client }) => onCommand(deps, { command, ack, client }));
  app.event('app_mention', async ({ event, body, context }) =>
    onMention(deps, { event, body, botUserId: context.botUserId }),
  );
  // One listener per kind, each looking its handler up by id: Bolt runs every event through every listener's
  // middleware, so nine listeners cost the acknowledgement of each command more than four (the Slack benchmark).
  const buttons = BUTTON_HANDLERS;
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: idPattern(buttons) },
    async ({ body, action, ack, respond, client }) => {
      const handler = buttons[action.action_id];
      await (handler ? handler(deps, { body, action, ack, respond, client }) : ack());
    },
  );
  const views = VIEW_HANDLERS;
  app.view<ViewSubmitAction>(idPattern(views), async ({ body, ack, client }) =>
    views[body.view.callback_id]?.(deps, { body, ack, client }),
  );
  app.error(async (error) => {
    logger.error({ err: error.original ?? error, code: error.code }, 'Slack listener failed');
    return Promise.resolve();
  });
  return { receiver, notifier, signingSecret, intake };
}

/** Exactly the ids of a handler table. */
function idPattern(table: Record<string, unknown>): RegExp {
  return new RegExp(`^(?:${Object.keys(table).join('|')})$`);
}
