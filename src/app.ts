/**
 * The composition root's body: config → store → core → HTTP server → scheduler. `main.ts` adds the process
 * concerns (environment, signals, exit codes); tests start this directly on port 0.
 */
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { documentedLinks } from './adapters/partner-center/reseller-link.js';
import { openStore } from './adapters/store/open-store.js';
import { systemClock } from './adapters/system/clock.js';
import { randomIds } from './adapters/system/random-ids.js';
import { ConfigError, type Config } from './config.js';
import type { CoreDeps } from './core/commands/types.js';
import { ValidationError } from './core/errors.js';
import { housekeeping } from './core/jobs/housekeeping.js';
import type { ChannelNotifier, Clock, Logger, Store } from './core/ports.js';
import { compileDraftTemplate, composeDraft, longestDraftValues, type DraftTemplate } from './core/requests/draft.js';
import { healthRoutes } from './http/routes/health.js';
import { pendingRoutes } from './http/routes/pending.js';
import { TeamsBot } from './adapters/teams/bot.js';
import { createCloudAdapter } from './adapters/teams/cloud-adapter.js';
import { TeamsNotifier } from './adapters/teams/notifier.js';
import { teamsRoutes } from './adapters/teams/route.js';
import { slackRoutes } from './adapters/slack/route.js';
import { createSlack } from './adapters/slack/slack-app.js';
import { turnedOff } from './http/routes/turned-off.js';
import { closeServer, createHttpServer, listen } from './http/server.js';
import { createScheduler, type Scheduler } from './scheduler.js';

/** SIGTERM to exit: the whole shutdown must fit in this (SPEC: within 10 s). */
export const SHUTDOWN_BUDGET_MS = 10_000;
const HTTP_DRAIN_MS = 7_000;

export interface RunningApp {
  readonly url: string;
  readonly server: Server;
  readonly core: CoreDeps;
  readonly scheduler: Scheduler;
  /** one per enabled chat platform */
  readonly notifiers: readonly ChannelNotifier[];
  /** Stop accepting, let requests finish, stop schedules, close the store. Safe to call twice. */
  stop(): Promise<void>;
}

export interface AppOverrides {
  readonly store?: Store;
  readonly clock?: Clock;
  /** where botbuilder fetches the keys that sign Teams tokens (tests point it at a local fake issuer) */
  readonly botOpenIdMetadataUrl?: string;
}

export async function startApp(config: Config, logger: Logger, overrides: AppOverrides = {}): Promise<RunningApp> {
  const links = documentedLinks(config.partnerCenter.partnerTenantId, config.partnerCenter.msppId);
  const draftTemplate = await loadDraftTemplate(
    config.draftTemplatePath,
    config.partnerCenter.partnerName,
    await links.resellerLink(),
  );
  const clock = overrides.clock ?? systemClock;
  const store = overrides.store ?? (await openStore(config));
  try {
    const core: CoreDeps = {
      store,
      clock,
      ids: randomIds,
      links,
      logger,
      settings: {
        partnerName: config.partnerCenter.partnerName,
        draftTemplate,
        access: {
          allowedTeamsTenants: config.access.allowedTenantIds,
          allowedSlackTeams: config.access.allowedSlackTeamIds,
          requesters: config.access.requesters,
        },
      },
    };

    const notifiers: ChannelNotifier[] = [];
    const routers = [healthRoutes(store)];
    if (config.teams.enabled) {
      const adapter = createCloudAdapter(config.teams, logger, overrides.botOpenIdMetadataUrl);
      const notifier = new TeamsNotifier(adapter, config.teams.appId ?? '', store, logger);
      notifiers.push(notifier);
      const bot = new TeamsBot({ core, logger, notifier });
      routers.push(teamsRoutes({ adapter, bot, authenticated: config.teams.authenticated, logger }));
    } else {
      routers.push(turnedOff('/api/messages', 'Teams is turned off (TEAMS_ENABLED=false).'));
    }
    if (config.slack.enabled) {
      const slack = createSlack(config.slack, core, logger);
      notifiers.push(slack.notifier);
      routers.push(slackRoutes({ receiver: slack.receiver, signingSecret: slack.signingSecret, clock, logger }));
    } else {
      routers.push(
        turnedOff('/slack/events', 'Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on.'),
      );
    }
    routers.push(pendingRoutes(!config.production));
    const server = createHttpServer({ logger, routers });
    const scheduler = createScheduler(
      [{ name: 'housekeeping', schedule: '17 * * * *', run: (now) => housekeeping({ store, logger }, now) }],
      { logger, clock },
    );
    const url = await listen(server, config.http.port, config.http.host);
    scheduler.start();
    for (const warning of config.warnings) logger.warn({}, warning);
    logger.info(startupSummary(config, store, url), startupLine(config, store, url));

    let stopping: Promise<void> | undefined;
    return {
      url,
      server,
      core,
      scheduler,
      notifiers,
      stop() {
        stopping ??= (async () => {
          const drained = await closeServer(server, HTTP_DRAIN_MS);
          if (!drained) logger.warn({}, 'shutdown: open connections were cut after the drain period');
          await scheduler.stop();
          await store.close();
          logger.info({}, 'stopped');
        })();
        return stopping;
      },
    };
  } catch (err) {
    if (!overrides.store) await store.close();
    throw err;
  }
}

/** Read and check the draft template, including that the longest possible request still fits 3,000 characters. */
async function loadDraftTemplate(path: string, partnerName: string, resellerLink: string): Promise<DraftTemplate> {
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`DRAFT_TEMPLATE: cannot read ${path} (${(err as Error).message}).`]);
  }
  let template: DraftTemplate;
  try {
    template = compileDraftTemplate(source);
  } catch (err) {
    if (err instanceof ValidationError) throw new ConfigError([`DRAFT_TEMPLATE: ${err.message}`]);
    throw err;
  }
  try {
    composeDraft(template, longestDraftValues(partnerName, resellerLink));
  } catch (err) {
    if (err instanceof ValidationError) {
      throw new ConfigError([
        `DRAFT_TEMPLATE: filled with the longest allowed customer name, email and domain, ${lowerFirst(err.message)}`,
      ]);
    }
    throw err;
  }
  return template;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * What is actually running, not just configured: the Partner Center client is not built yet (its routes answer 501),
 * and reseller links come from the documented format.
 */
function startupSummary(config: Config, store: Store, url: string) {
  return {
    url,
    mode: config.production ? 'production' : 'local',
    store: store.description,
    teams: !config.teams.enabled ? 'off' : config.teams.authenticated ? 'on' : 'on, without authentication (local)',
    slack: config.slack.enabled ? `on (Web API ${config.slack.apiUrl})` : 'off',
    partnerCenter: `${config.partnerCenter.mode} mode configured; reseller link built from the documented format`,
    gdap: config.gdap.enabled ? 'on (relationship creation not built yet)' : 'off',
  };
}

/** The one line that tells an operator what is running. */
export function startupLine(config: Config, store: Store, url: string): string {
  const s = startupSummary(config, store, url);
  return (
    `Partner Relationship Bot listening on ${url} — ${s.mode} mode; store: ${s.store}; Teams: ${s.teams}; ` +
    `Slack: ${s.slack}; Partner Center: ${s.partnerCenter}; GDAP: ${s.gdap}`
  );
}
