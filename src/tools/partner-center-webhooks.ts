/**
 * `npm run partner-center:webhooks -- register | status | test` (docs/partner-center.md#registering): Partner Center's
 * webhook registration for this bot, without hand-written calls.
 *
 * - `register` points the partner's one registration at the bot's webhook URL for the events it handles (creating it,
 *   or changing one that differs);
 * - `status` shows the registration and whether it matches (exit code 1 when it does not);
 * - `test` asks Partner Center for a test event and reports what the bot answered.
 *
 * Options: `--webhook-url <url>` (default PUBLIC_URL + /api/partner-center/webhooks), `--bot-url <url>` (emulator
 * mode: where the running bot and its built-in emulator listen; default http://127.0.0.1:PORT).
 */
import { parseArgs } from 'node:util';
import { loginNetwork } from '../adapters/partner-center/login-network.js';
import { callApi, type HttpOptions } from '../adapters/partner-center/http.js';
import { EMULATOR_TOKENS, MsalTokens } from '../adapters/partner-center/tokens.js';
import { BOT_WEBHOOK_EVENTS } from '../adapters/partner-center/webhook-events.js';
import { WEBHOOK_PATH } from '../adapters/partner-center/webhook-route.js';
import { configOrExit, fail, say } from '../cli.js';
import type { Config } from '../config.js';
import { isBotError } from '../core/errors.js';
import type { KeyValueRepository, Logger } from '../core/ports.js';

const ACTIONS = ['register', 'status', 'test'] as const;
type Action = (typeof ACTIONS)[number];

interface Registration {
  readonly WebhookUrl?: string;
  readonly WebhookEvents?: readonly string[];
}

interface Target {
  readonly api: HttpOptions;
  readonly base: string;
  readonly webhookUrl: string;
}

function target(config: Config, botUrlOption: string | undefined, webhookUrlOption: string | undefined): Target {
  const pc = config.partnerCenter;
  const botUrl = (botUrlOption ?? `http://127.0.0.1:${config.http.port || 3978}`).replace(/\/+$/, '');
  const base = (pc.apiUrl ?? `${botUrl}/emulator/partner-center`).replace(/\/+$/, '');
  const webhookUrl = webhookUrlOption ?? `${config.http.publicUrl ?? botUrl}${WEBHOOK_PATH}`;
  const token =
    pc.mode === 'live'
      ? (() => {
          const network = loginNetwork(pc.loginUrl);
          const tokens = new MsalTokens({
            tenantId: pc.partnerTenantId,
            clientId: pc.clientId ?? '',
            clientSecret: pc.clientSecret ?? '',
            refreshToken: pc.refreshToken ?? '',
            state: memoryState(),
            logger: quietLogger,
            ...(network ? { networkClient: network } : {}),
          });
          return () => tokens.partnerCenterApp();
        })()
      : () => Promise.resolve(EMULATOR_TOKENS.app);
  return {
    api: {
      service: 'Partner Center',
      token,
      timeoutMs: 30_000,
      retries: 2,
      maxWaitSeconds: 5,
      logger: quietLogger,
    },
    base,
    webhookUrl,
  };
}

async function current(t: Target): Promise<Registration | undefined> {
  const answer = await callApi(t.api, { method: 'GET', url: `${t.base}/webhooks/v1/registration`, accept: [404] });
  return answer.status === 404 ? undefined : (answer.body as Registration);
}

/** What differs between the registration and what the bot needs ([] when it matches). */
function differences(registration: Registration | undefined, webhookUrl: string): string[] {
  if (!registration) return ['no registration exists'];
  const problems: string[] = [];
  if (registration.WebhookUrl !== webhookUrl) {
    problems.push(`it sends to ${registration.WebhookUrl ?? 'nowhere'}, not ${webhookUrl}`);
  }
  const missing = BOT_WEBHOOK_EVENTS.filter((e) => !registration.WebhookEvents?.includes(e));
  if (missing.length > 0) problems.push(`it lacks ${missing.join(', ')}`);
  return problems;
}

async function register(t: Target): Promise<void> {
  const before = await current(t);
  const problems = differences(before, t.webhookUrl);
  if (problems.length === 0) {
    say([`Already registered: ${t.webhookUrl}, ${BOT_WEBHOOK_EVENTS.length} events. Nothing changed.`]);
    return;
  }
  // keep events registered for other tools; add the bot's
  const events = [...new Set([...(before?.WebhookEvents ?? []), ...BOT_WEBHOOK_EVENTS])];
  const answer = await callApi(t.api, {
    method: before ? 'PUT' : 'POST',
    url: `${t.base}/webhooks/v1/registration`,
    body: { WebhookUrl: t.webhookUrl, WebhookEvents: events },
  });
  const saved = answer.body as Registration;
  say([
    `${before ? 'Registration changed' : 'Registered'} (was: ${problems.join('; ')}).`,
    `Partner Center now sends ${saved.WebhookEvents?.length ?? events.length} events to ${saved.WebhookUrl ?? t.webhookUrl}:`,
    ...(saved.WebhookEvents ?? events).map((e) => `  ${e}`),
    'Check it with `npm run partner-center:webhooks -- test`.',
  ]);
}

async function status(t: Target): Promise<boolean> {
  const registration = await current(t);
  const problems = differences(registration, t.webhookUrl);
  say([
    registration
      ? `Registered: ${registration.WebhookUrl ?? '(no URL)'}, ${registration.WebhookEvents?.length ?? 0} events.`
      : 'Not registered.',
    problems.length === 0
      ? `Matches this bot (${t.webhookUrl}, the ${BOT_WEBHOOK_EVENTS.length} events it handles).`
      : `Does not match this bot: ${problems.join('; ')}. Run \`npm run partner-center:webhooks -- register\`.`,
  ]);
  return problems.length === 0;
}

async function test(t: Target): Promise<boolean> {
  const sent = await callApi(t.api, {
    method: 'POST',
    url: `${t.base}/webhooks/v1/registration/validationEvents`,
    accept: [400, 429],
  });
  if (sent.status === 429) {
    const wait = sent.headers.get('retry-after');
    fail([
      `Partner Center refused: it sends only a few test events a minute.${wait ? ` Try again in ${wait} s.` : ' Try again in a minute.'}`,
    ]);
  }
  if (sent.status === 400) {
    const description = (sent.body as { description?: string }).description ?? '';
    fail([
      `Partner Center refused the test event: ${description}`,
      'Run `npm run partner-center:webhooks -- register` first.',
    ]);
  }
  const { correlationId } = sent.body as { correlationId: string };
  say([`Test event sent (correlation id ${correlationId}); waiting for the delivery result…`]);
  for (let attempt = 0; attempt < 30; attempt++) {
    const answer = await callApi(t.api, {
      method: 'GET',
      url: `${t.base}/webhooks/v1/registration/validationEvents/${encodeURIComponent(correlationId)}`,
      accept: [404],
    });
    const event = answer.body as {
      status?: string;
      callbackUrl?: string;
      results?: { responseCode?: string; responseMessage?: string; systemError?: string }[];
    };
    if (answer.status === 200 && event.status === 'completed') {
      const result = event.results?.at(-1);
      const ok = result?.responseCode === 'OK';
      say([
        ok
          ? `Delivered: ${event.callbackUrl ?? ''} answered OK (the bot logs "Partner Center test event received").`
          : `Not delivered to ${event.callbackUrl ?? ''}: ${[result?.responseCode, result?.responseMessage, result?.systemError].filter(Boolean).join(' — ')}`,
      ]);
      return ok;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  say(['No delivery result yet; ask again later with the correlation id above (results are kept for 7 days).']);
  return false;
}

/** MSAL's cache for one run of the command (client credentials need nothing kept). */
function memoryState(): KeyValueRepository {
  const values = new Map<string, Readonly<Record<string, unknown>>>();
  return {
    get: (key) => Promise.resolve(values.get(key)),
    put: (key, value) => {
      values.set(key, value);
      return Promise.resolve();
    },
    delete: (key) => {
      values.delete(key);
      return Promise.resolve();
    },
    keys: (prefix) => Promise.resolve([...values.keys()].filter((k) => k.startsWith(prefix))),
  };
}

const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { 'webhook-url': { type: 'string' }, 'bot-url': { type: 'string' }, help: { type: 'boolean' } },
    });
  } catch (err) {
    fail([(err as Error).message, USAGE]);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    say([USAGE]);
    return;
  }
  const action = positionals[0] as Action | undefined;
  if (!action || !ACTIONS.includes(action) || positionals.length > 1) fail([USAGE]);
  const config = configOrExit();
  const t = target(config, values['bot-url'], values['webhook-url']);
  const emulated = config.partnerCenter.mode !== 'live';
  say([`Partner Center: ${emulated ? `emulator at ${t.base}` : t.base}`]);
  try {
    const ok =
      action === 'register' ? (await register(t), true) : action === 'status' ? await status(t) : await test(t);
    process.exit(ok ? 0 : 1);
  } catch (err) {
    if (!isBotError(err)) throw err;
    // the usual local slip: the bot (and its built-in emulator) is not where the command looked
    const hint =
      emulated && err.code === 'upstream'
        ? ' Is the bot running there? Start it (npm start), or point this command at it with --bot-url or PORT.'
        : '';
    fail([`${err.message}${hint}`]);
  }
}

const USAGE =
  'Usage: npm run partner-center:webhooks -- register | status | test [--webhook-url <url>] [--bot-url <url>]';

main().catch((err: unknown) => {
  fail([`Failed: ${(err as Error).message}`]);
});
