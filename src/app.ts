/**
 * The composition root's body: config → store → core → HTTP server → scheduler. `main.ts` adds the process
 * concerns (environment, signals, exit codes); tests start this directly on port 0.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Server } from 'node:http';
import type { INetworkModule } from '@azure/msal-node';
import { documentedResellerLink } from './adapters/partner-center/reseller-link.js';
import { setUpPartnerCenter, type PartnerCenterSetup } from './adapters/partner-center/setup.js';
import { webhookRoutes } from './adapters/partner-center/webhook-route.js';
import { openStore } from './adapters/store/open-store.js';
import { systemClock } from './adapters/system/clock.js';
import { randomIds } from './adapters/system/random-ids.js';
import { ConfigError, type Config } from './config.js';
import type { CoreDeps } from './core/commands/types.js';
import { ValidationError } from './core/errors.js';
import { housekeeping } from './core/jobs/housekeeping.js';
import { JobRunner, type RunnerHooks, type RunnerOptions } from './core/outbox/runner.js';
import { JOB_HANDLERS } from './core/outbox/topics.js';
import type { JobClock, NewJob } from './core/outbox/types.js';
import { reconcile } from './core/watch/reconcile.js';
import { remind } from './core/watch/reminders.js';
import { createEmulator, type Emulator } from './emulator/emulator.js';
import type { Realism } from './emulator/state.js';
import type { ChannelNotifier, Logger, Store } from './core/ports.js';
import { compileDraftTemplate, composeDraft, longestDraftValues, type DraftTemplate } from './core/requests/draft.js';
import { healthRoutes } from './http/routes/health.js';
import { TeamsBot } from './adapters/teams/bot.js';
import { createCloudAdapter } from './adapters/teams/cloud-adapter.js';
import { TeamsNotifier } from './adapters/teams/notifier.js';
import { teamsRoutes } from './adapters/teams/route.js';
import { slackRoute } from './adapters/slack/route.js';
import { createSlack } from './adapters/slack/slack-app.js';
import { turnedOff } from './http/routes/turned-off.js';
import { closeServer, createHttpServer, listen, type DirectRoute } from './http/server.js';
import { createPlayground, type Playground, type PlaygroundDeps } from './playground/playground.js';
import { createScheduler, type Scheduler } from './scheduler.js';

/** SIGTERM to exit: the whole shutdown must fit in this (within 10 s). */
export const SHUTDOWN_BUDGET_MS = 10_000;
const HTTP_DRAIN_MS = 7_000;

export interface RunningApp {
  readonly url: string;
  readonly server: Server;
  readonly core: CoreDeps;
  readonly scheduler: Scheduler;
  /** one per enabled chat platform */
  readonly notifiers: readonly ChannelNotifier[];
  /** the job queue's runner (notifications, card updates, follow-ups) */
  readonly worker: JobRunner;
  readonly partnerCenter: PartnerCenterSetup;
  /** the built-in emulator (local mode without PARTNER_CENTER_API_URL) */
  readonly emulator: Emulator | undefined;
  /** the browser playground at `/` (local mode with Teams on) */
  readonly playground: Playground | undefined;
  /** Stop accepting, let requests finish, stop schedules, close the store. Safe to call twice. */
  stop(): Promise<void>;
}

export interface AppOverrides {
  readonly store?: Store;
  /** the one clock of the app: what time it is, and its timers */
  readonly clock?: JobClock;
  /** where botbuilder fetches the keys that sign Teams tokens (tests point it at a local fake issuer) */
  readonly botOpenIdMetadataUrl?: string;
  /** job queue tuning (tests shorten the poll and the per-channel pacing) */
  readonly worker?: Partial<RunnerOptions>;
  /** fault injection at fixed points of a job's life */
  readonly jobHooks?: RunnerHooks;
  /** MSAL's HTTP client (tests reach a local fake identity provider through it) */
  readonly msalNetwork?: INetworkModule;
  /** the emulator's pause between webhook attempts */
  readonly emulatorWebhookRetryDelayMs?: number;
  /** how inconvenient the built-in emulator is (default: like the service, with local mode's short waits) */
  readonly emulatorRealism?: Partial<Realism>;
}

export async function startApp(config: Config, logger: Logger, overrides: AppOverrides = {}): Promise<RunningApp> {
  const draftTemplate = await loadDraftTemplate(
    config.draftTemplatePath,
    config.partnerCenter.partnerName,
    documentedResellerLink(config.partnerCenter.partnerTenantId, config.partnerCenter.msppId),
  );
  const clock = overrides.clock ?? systemClock;
  const store = overrides.store ?? (await openStore(config, logger));
  try {
    const own = { url: '' };
    const url = () => {
      if (!own.url) throw new Error('the server is not listening yet');
      return own.url;
    };
    const partnerCenter = setUpPartnerCenter(config, store, logger, url, overrides.msalNetwork);
    const core: CoreDeps = {
      store,
      clock,
      ids: randomIds,
      links: partnerCenter.links,
      directory: partnerCenter.directory,
      logger,
      settings: {
        partnerName: config.partnerCenter.partnerName,
        draftTemplate,
        access: {
          allowedTeamsTenants: config.access.allowedTenantIds,
          allowedSlackTeams: config.access.allowedSlackTeamIds,
          requesters: config.access.requesters,
        },
        gdap: config.gdap.enabled
          ? {
              roles: config.gdap.roles,
              duration: config.gdap.duration,
              autoExtend: config.gdap.autoExtend,
              accessAssignments: config.gdap.accessAssignments,
            }
          : undefined,
      },
    };

    const notifiers: ChannelNotifier[] = [];
    const runner: { current?: JobRunner } = {};
    /** Store jobs first, then wake the runner: what an adapter acknowledges after this survives a crash. */
    const submit = async (jobs: readonly NewJob[]) => {
      await store.outbox.accept(jobs, clock.now());
      // after the acknowledgement has gone out, not before: the runner's next claim is real work
      setImmediate(() => runner.current?.kick());
    };
    const finishedJobs: ((key: string) => void)[] = [];
    const direct: DirectRoute[] = [];
    const routers = [healthRoutes(store, partnerCenter.signInProblem)];
    if (config.teams.enabled) {
      const adapter = createCloudAdapter(config.teams, logger, overrides.botOpenIdMetadataUrl);
      const notifier = new TeamsNotifier(adapter, config.teams.appId ?? '', store, logger);
      notifiers.push(notifier);
      const bot = new TeamsBot({ core, logger, notifier, turns: new Map() });
      routers.push(
        teamsRoutes({ adapter, bot, authenticated: config.teams.authenticated, teams: config.teams, logger }),
      );
    } else {
      routers.push(turnedOff('/api/messages', 'Teams is turned off (TEAMS_ENABLED=false).'));
    }
    if (config.slack.enabled) {
      const slack = createSlack(config.slack, core, logger, submit);
      notifiers.push(slack.notifier);
      finishedJobs.push((key) => {
        slack.intake.finished(key);
      });
      direct.push(slackRoute({ receiver: slack.receiver, signingSecret: slack.signingSecret, clock, logger }));
    } else {
      routers.push(
        turnedOff('/slack/events', 'Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on.'),
      );
    }
    const worker = new JobRunner(
      JOB_HANDLERS,
      { ...core, clock, notifiers },
      `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      overrides.worker,
      overrides.jobHooks,
    );
    runner.current = worker;
    for (const listener of finishedJobs) worker.onFinished(listener);
    routers.push(
      webhookRoutes({
        verifier: partnerCenter.verifier,
        store,
        clock,
        logger,
        onRecorded: () => {
          worker.kick();
        },
      }),
    );
    const emulator = partnerCenter.builtInEmulator
      ? createEmulator({
          partnerTenantId: config.partnerCenter.partnerTenantId,
          msppId: config.partnerCenter.msppId,
          baseUrl: url,
          webhookUrl: () => `${url()}/api/partner-center/webhooks`,
          logger,
          ...(overrides.emulatorRealism === undefined ? {} : { realism: overrides.emulatorRealism }),
          ...(overrides.emulatorWebhookRetryDelayMs === undefined
            ? {}
            : { webhookRetryDelayMs: overrides.emulatorWebhookRetryDelayMs }),
        })
      : undefined;
    if (emulator) routers.push(emulator.router);
    const jobs: { scheduler?: Scheduler } = {};
    const playground = localPlayground(config, {
      store,
      clock,
      logger,
      url,
      reconcile: () => jobs.scheduler?.runNow('reconciler') ?? Promise.resolve(false),
    });
    if (playground) routers.push(playground.router);
    else if (!config.production) {
      routers.push(turnedOff('/', 'The playground talks to the bot as Teams does; it needs Teams on (TEAMS_ENABLED).'));
    }
    const server = createHttpServer({ logger, routers, direct });
    const watchDeps = { store, clock, logger, directory: partnerCenter.directory };
    const scheduler = createScheduler(
      [
        { name: 'housekeeping', schedule: '17 * * * *', run: (now) => housekeeping({ store, logger }, now) },
        {
          name: 'reconciler',
          schedule: config.schedules.poll,
          run: async () => {
            await reconcile(watchDeps, worker.owner);
            worker.kick();
          },
        },
        {
          name: 'reminders',
          schedule: config.schedules.reminder,
          run: async () => {
            await remind(watchDeps, config.schedules.reminderAfterDays);
            worker.kick();
          },
        },
      ],
      { logger, clock },
    );
    jobs.scheduler = scheduler;
    own.url = await listen(server, config.http.port, config.http.host);
    const listening = own.url;
    worker.start();
    scheduler.start();
    for (const warning of config.warnings) logger.warn({}, warning);
    logger.info(
      startupSummary(config, store, listening, partnerCenter.description),
      startupLine(config, store, listening, partnerCenter.description),
    );

    let stopping: Promise<void> | undefined;
    return {
      url: listening,
      server,
      core,
      scheduler,
      notifiers,
      worker,
      partnerCenter,
      emulator,
      playground,
      stop() {
        stopping ??= (async () => {
          playground?.close();
          const drained = await closeServer(server, HTTP_DRAIN_MS);
          if (!drained) logger.warn({}, 'shutdown: open connections were cut after the drain period');
          await scheduler.stop();
          await worker.stop();
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

/** The playground exists in local mode only, and only with the Teams endpoint it talks to. */
function localPlayground(
  config: Config,
  deps: Pick<PlaygroundDeps, 'store' | 'clock' | 'logger' | 'url' | 'reconcile'>,
): Playground | undefined {
  if (config.production || !config.teams.enabled) return undefined;
  return createPlayground({ ...deps, allowedTenants: config.access.allowedTenantIds, botAppId: config.teams.appId });
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

/** What is actually running, not just configured. */
function startupSummary(config: Config, store: Store, url: string, partnerCenter: string) {
  return {
    url,
    mode: config.production ? 'production' : 'local',
    store: store.description,
    teams: !config.teams.enabled ? 'off' : config.teams.authenticated ? 'on' : 'on, without authentication (local)',
    slack: config.slack.enabled ? `on (Web API ${config.slack.apiUrl})` : 'off',
    partnerCenter,
    gdap: config.gdap.enabled ? `on (${config.gdap.roles.length} roles, ${config.gdap.duration})` : 'off',
  };
}

/** The one line that tells an operator what is running. */
export function startupLine(config: Config, store: Store, url: string, partnerCenter: string): string {
  const s = startupSummary(config, store, url, partnerCenter);
  return (
    `Partner Relationship Bot listening on ${url} — ${s.mode} mode; store: ${s.store}; Teams: ${s.teams}; ` +
    `Slack: ${s.slack}; Partner Center: ${s.partnerCenter}; GDAP: ${s.gdap}`
  );
}
