/**
 * Configuration (docs/configuration.md): the only module that reads the environment. `loadConfig` checks every key once, at
 * start-up, and either returns a frozen `Config` or throws `ConfigError` with one line per problem, each naming the
 * variable and the fix. Secret values never appear in those lines.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import cron from 'node-cron';
import { z } from 'zod';
import { PACKAGE_ROOT } from './paths.js';

/** Every key the bot reads; `.env.example` lists exactly these (a test checks). */
export const ENV_KEYS = [
  'PORT',
  'HOST',
  'PUBLIC_URL',
  'NODE_ENV',
  'LOG_LEVEL',
  'MONGODB_URI',
  'MONGODB_DB',
  'DATA_DIR',
  'ALLOW_EMBEDDED_STORE',
  'TEAMS_ENABLED',
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_API_URL',
  'SLACK_NOTIFY_CHANNEL',
  'PARTNER_CENTER_MODE',
  'PARTNER_TENANT_ID',
  'PARTNER_CENTER_CLIENT_ID',
  'PARTNER_CENTER_CLIENT_SECRET',
  'PARTNER_CENTER_REFRESH_TOKEN',
  'PARTNER_CENTER_API_URL',
  'GRAPH_API_URL',
  'PARTNER_NAME',
  'MSPP_ID',
  'GDAP_ENABLED',
  'GDAP_ROLES',
  'GDAP_DURATION',
  'POLL_SCHEDULE',
  'REMINDER_SCHEDULE',
  'REMINDER_AFTER_DAYS',
  'ALLOWED_TENANT_IDS',
  'ALLOWED_SLACK_TEAM_IDS',
  'REQUESTERS',
  'DRAFT_TEMPLATE',
] as const;

export type EnvKey = (typeof ENV_KEYS)[number];
export type Environment = Readonly<Record<string, string | undefined>>;

/** Least-privilege GDAP roles (Entra role template ids): Directory Readers, Global Reader, Service Support Administrator. */
export const DEFAULT_GDAP_ROLES = [
  '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  'f023fd81-a637-4b56-95fd-791ac0226033',
] as const;
const GLOBAL_ADMINISTRATOR_ROLE = '62e90394-69f5-4237-9190-012177145e10';

/** A stand-in partner tenant for emulator mode, so local mode needs no configuration. */
export const EMULATOR_PARTNER_TENANT_ID = '00000000-0000-4000-8000-00000000e001';

export const DEFAULT_DRAFT_TEMPLATE = join(PACKAGE_ROOT, 'cards', 'draft-email.txt');

export interface Config {
  readonly production: boolean;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly http: { readonly host: string; readonly port: number; readonly publicUrl: string | undefined };
  readonly store:
    | { readonly kind: 'mongodb'; readonly uri: string; readonly database: string }
    | { readonly kind: 'embedded'; readonly dataDir: string };
  readonly teams: {
    readonly enabled: boolean;
    /** false only when MicrosoftAppId is empty outside production (docs/configuration.md) */
    readonly authenticated: boolean;
    readonly appId: string | undefined;
    readonly appPassword: string | undefined;
    readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI' | undefined;
    readonly appTenantId: string | undefined;
  };
  readonly slack: {
    readonly enabled: boolean;
    readonly botToken: string | undefined;
    readonly signingSecret: string | undefined;
    readonly apiUrl: string;
    readonly notifyChannel: string | undefined;
  };
  readonly partnerCenter: {
    readonly mode: 'live' | 'emulator';
    readonly partnerTenantId: string;
    readonly clientId: string | undefined;
    readonly clientSecret: string | undefined;
    readonly refreshToken: string | undefined;
    /** undefined in emulator mode = the emulator built into this server */
    readonly apiUrl: string | undefined;
    readonly graphUrl: string | undefined;
    readonly partnerName: string;
    readonly msppId: string;
  };
  readonly gdap: { readonly enabled: boolean; readonly roles: readonly string[]; readonly duration: string };
  readonly schedules: { readonly poll: string; readonly reminder: string; readonly reminderAfterDays: number };
  readonly access: {
    readonly allowedTenantIds: readonly string[];
    readonly allowedSlackTeamIds: readonly string[];
    readonly requesters: readonly string[];
  };
  readonly draftTemplatePath: string;
  /** values that must never be logged (pino scrubs them; see logging.ts) */
  readonly secrets: readonly string[];
  /** problems worth a warning at start-up that do not stop it */
  readonly warnings: readonly string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const APP_TYPES = {
  multitenant: 'MultiTenant',
  singletenant: 'SingleTenant',
  userassignedmsi: 'UserAssignedMSI',
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const guid = (what: string) =>
  z.string().regex(GUID, `must be a GUID (${what}), like 00000000-0000-0000-0000-000000000000`);
const flag = (def: boolean) =>
  z
    .stringbool({ error: 'must be true or false' })
    .optional()
    .transform((v) => v ?? def);
const list = (item: z.ZodType<string, string>) =>
  z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    )
    .pipe(z.array(item));
const schedule = (example: string) =>
  z
    .string()
    .refine((v) => cron.validate(v), `must be a cron expression (5 fields, or 6 with seconds), e.g. "${example}"`);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const schema = z.object({
  PORT: z.coerce
    .number({ error: 'must be a port number from 0 to 65535, e.g. 3978' })
    .int('must be a whole port number, e.g. 3978')
    .min(0, 'must be a port number from 0 to 65535')
    .max(65535, 'must be a port number from 0 to 65535')
    .default(3978),
  HOST: z.string().optional(),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be the public https URL of this bot, e.g. https://bot.example.com' })
    .optional(),
  NODE_ENV: z.string().optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  MONGODB_URI: z
    .string()
    .regex(
      /^mongodb(\+srv)?:\/\/\S+$/,
      'must be a MongoDB connection string starting with mongodb:// or mongodb+srv://',
    )
    .optional(),
  MONGODB_DB: z
    .string()
    .regex(/^[^/\\. "$*<>:|?]{1,63}$/, 'must be a MongoDB database name: 1-63 characters, none of /\\. "$*<>:|?')
    .default('partner_relationships'),
  DATA_DIR: z.string().default('./data'),
  ALLOW_EMBEDDED_STORE: flag(false),
  TEAMS_ENABLED: flag(true),
  MicrosoftAppId: guid('the Azure Bot app id').optional(),
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppType: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(
      z.enum(['multitenant', 'singletenant', 'userassignedmsi'], {
        error: 'must be SingleTenant, UserAssignedMSI or MultiTenant',
      }),
    )
    .transform((v) => APP_TYPES[v])
    .optional(),
  MicrosoftAppTenantId: guid('the Entra tenant of the bot app').optional(),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-\S+$/, 'must be a Slack bot token starting with xoxb-')
    .optional(),
  SLACK_SIGNING_SECRET: z
    .string()
    .regex(/^\S{8,}$/, "must be the app's signing secret (Basic Information page)")
    .optional(),
  SLACK_API_URL: httpUrl.transform((v) => (v.endsWith('/') ? v : `${v}/`)).default('https://slack.com/api/'),
  SLACK_NOTIFY_CHANNEL: z
    .string()
    .regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel id such as C0123456789 (not a #name)')
    .optional(),
  PARTNER_CENTER_MODE: z.enum(['live', 'emulator'], { error: 'must be live or emulator' }).optional(),
  PARTNER_TENANT_ID: guid('your partner tenant id').optional(),
  PARTNER_CENTER_CLIENT_ID: guid('the Entra app registered for Partner Center').optional(),
  PARTNER_CENTER_CLIENT_SECRET: z.string().optional(),
  PARTNER_CENTER_REFRESH_TOKEN: z.string().optional(),
  PARTNER_CENTER_API_URL: httpUrl.transform((v) => v.replace(/\/+$/, '')).optional(),
  GRAPH_API_URL: httpUrl.transform((v) => v.replace(/\/+$/, '')).optional(),
  PARTNER_NAME: z.string().max(100, 'must be at most 100 characters').optional(),
  MSPP_ID: z
    .string()
    .regex(/^\d{1,10}$/, 'must be your numeric MPN / Partner ID, or 0')
    .default('0'),
  GDAP_ENABLED: flag(true),
  GDAP_ROLES: list(guid('an Entra role template id')).optional(),
  GDAP_DURATION: z
    .string()
    .regex(/^P(\d+D|[12]Y)$/, 'must be an ISO-8601 duration in days (P1D to P730D) or P1Y / P2Y')
    .refine(
      (v) => !/D$/.test(v) || (Number(v.slice(1, -1)) >= 1 && Number(v.slice(1, -1)) <= 730),
      'must be between P1D and P730D (two years)',
    )
    .default('P730D'),
  POLL_SCHEDULE: schedule('*/5 * * * *').default('*/5 * * * *'),
  REMINDER_SCHEDULE: schedule('0 9 * * 1-5').default('0 9 * * 1-5'),
  REMINDER_AFTER_DAYS: z.coerce
    .number({ error: 'must be a whole number of days from 1 to 90' })
    .int('must be a whole number of days from 1 to 90')
    .min(1, 'must be a whole number of days from 1 to 90')
    .max(90, 'must be a whole number of days from 1 to 90')
    .default(3),
  ALLOWED_TENANT_IDS: list(guid('a Microsoft 365 tenant id')).default([]),
  ALLOWED_SLACK_TEAM_IDS: list(
    z.string().regex(/^[TE][A-Z0-9]{2,}$/, 'must list Slack team ids such as T0123456789'),
  ).default([]),
  REQUESTERS: list(
    z
      .string()
      .regex(
        /^([UW][A-Z0-9]{2,}|[0-9a-fA-F-]{36})$/,
        'must list Teams Entra object ids (GUIDs) or Slack user ids (U…)',
      ),
  ).default([]),
  DRAFT_TEMPLATE: z.string().optional(),
});

/**
 * The environment as the bot sees it: `.env` in `cwd` (when present) under the real environment, which wins.
 * Call once, in main.
 */
export function readEnvironment(cwd = process.cwd()): Environment {
  const file = resolve(cwd, '.env');
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

/** Check the environment and build the configuration, or throw `ConfigError` listing every problem. */
export function loadConfig(env: Environment, cwd = process.cwd()): Config {
  // Empty values mean "not set" (a `.env` copied from `.env.example` is full of them).
  const raw: Record<string, string> = {};
  for (const key of ENV_KEYS) {
    const value = env[key]?.trim();
    if (value) raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const warnings: string[] = [];
  const production = e.NODE_ENV === 'production';

  // Chat platforms
  const teamsEnabled = e.TEAMS_ENABLED;
  const appType = e.MicrosoftAppType;
  if (teamsEnabled && production && !e.MicrosoftAppId) {
    problems.push(
      'MicrosoftAppId: required in production while Teams is on — set it to your Azure Bot app id, or set TEAMS_ENABLED=false.',
    );
  }
  if (e.MicrosoftAppId) {
    if (appType === 'SingleTenant' || appType === 'UserAssignedMSI') {
      if (!e.MicrosoftAppTenantId) {
        problems.push(
          `MicrosoftAppTenantId: required when MicrosoftAppType=${appType} — set it to the bot app's Entra tenant id.`,
        );
      }
    }
    if (appType === 'UserAssignedMSI' && e.MicrosoftAppPassword) {
      problems.push(
        'MicrosoftAppPassword: must be empty when MicrosoftAppType=UserAssignedMSI (the managed identity signs in).',
      );
    }
    if (appType !== 'UserAssignedMSI' && !e.MicrosoftAppPassword) {
      problems.push('MicrosoftAppPassword: required with MicrosoftAppId — set it to a client secret of the bot app.');
    }
  } else if (e.MicrosoftAppPassword || e.MicrosoftAppTenantId || appType) {
    problems.push('MicrosoftAppId: missing, but other MicrosoftApp* keys are set — set MicrosoftAppId or remove them.');
  }
  if (Boolean(e.SLACK_BOT_TOKEN) !== Boolean(e.SLACK_SIGNING_SECRET)) {
    problems.push(
      e.SLACK_BOT_TOKEN
        ? 'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN — Slack is on only when both are set.'
        : 'SLACK_BOT_TOKEN: required with SLACK_SIGNING_SECRET — Slack is on only when both are set.',
    );
  }
  const slackEnabled = Boolean(e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET);
  if (production && !teamsEnabled && !slackEnabled) {
    problems.push(
      'TEAMS_ENABLED: production needs a chat platform — keep Teams on (MicrosoftAppId) or set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET.',
    );
  }
  if (e.SLACK_NOTIFY_CHANNEL && !slackEnabled) {
    warnings.push(
      'SLACK_NOTIFY_CHANNEL is set but Slack is off (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not both set).',
    );
  }

  // Store
  if (production && !e.MONGODB_URI && !e.ALLOW_EMBEDDED_STORE) {
    problems.push(
      'MONGODB_URI: required in production — the embedded store is for local mode and one instance. Set MONGODB_URI, or ALLOW_EMBEDDED_STORE=true to accept a single-instance file store.',
    );
  }

  // Partner Center
  const credentialKeys = [
    'PARTNER_CENTER_CLIENT_ID',
    'PARTNER_CENTER_CLIENT_SECRET',
    'PARTNER_CENTER_REFRESH_TOKEN',
  ] as const;
  const anyCredential = credentialKeys.some((k) => e[k] !== undefined);
  const mode = e.PARTNER_CENTER_MODE ?? (anyCredential ? 'live' : 'emulator');
  if (mode === 'emulator' && production) {
    problems.push(
      'PARTNER_CENTER_MODE: the Partner Center emulator is not available in production — set PARTNER_TENANT_ID, PARTNER_CENTER_CLIENT_ID, PARTNER_CENTER_CLIENT_SECRET and PARTNER_CENTER_REFRESH_TOKEN.',
    );
  }
  if (mode === 'live') {
    for (const key of ['PARTNER_TENANT_ID', ...credentialKeys] as const) {
      if (e[key] === undefined) {
        problems.push(
          `${key}: required for live Partner Center access (PARTNER_CENTER_MODE=live) — see README "Partner Center".`,
        );
      }
    }
  }

  // Public URL
  if (production && !e.PUBLIC_URL) {
    problems.push(
      'PUBLIC_URL: required in production — the https address Teams, Slack and Partner Center call, e.g. https://bot.example.com.',
    );
  }
  if (e.PUBLIC_URL && !e.PUBLIC_URL.startsWith('https://') && (production || !isLoopbackUrl(e.PUBLIC_URL))) {
    problems.push('PUBLIC_URL: must use https (Teams, Slack and Partner Center only call https endpoints).');
  }

  // GDAP
  const roles = e.GDAP_ROLES ?? [...DEFAULT_GDAP_ROLES];
  if (e.GDAP_ENABLED && roles.length === 0)
    problems.push('GDAP_ROLES: empty — list at least one Entra role template id, or set GDAP_ENABLED=false.');
  if (roles.some((r) => r.toLowerCase() === GLOBAL_ADMINISTRATOR_ROLE)) {
    warnings.push(
      'GDAP_ROLES includes Global Administrator: such relationships cannot auto-extend, and customers often refuse them.',
    );
  }

  // Draft template
  const draftTemplatePath = e.DRAFT_TEMPLATE ? resolve(cwd, e.DRAFT_TEMPLATE) : DEFAULT_DRAFT_TEMPLATE;
  if (e.DRAFT_TEMPLATE && !existsSync(draftTemplatePath)) {
    problems.push(
      `DRAFT_TEMPLATE: no file at ${draftTemplatePath} — point it at a readable template, or remove it to use the built-in one.`,
    );
  }

  const host = e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1');
  const teamsAuthenticated = Boolean(e.MicrosoftAppId);
  if (teamsEnabled && !teamsAuthenticated && !production && !isLoopbackHost(host)) {
    warnings.push(
      `Teams authentication is off (no MicrosoftAppId) while listening on ${host}: anyone who can reach this port can talk to the bot.`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return deepFreeze({
    production,
    logLevel: e.LOG_LEVEL,
    http: { host, port: e.PORT, publicUrl: e.PUBLIC_URL?.replace(/\/+$/, '') },
    store: e.MONGODB_URI
      ? { kind: 'mongodb' as const, uri: e.MONGODB_URI, database: e.MONGODB_DB }
      : { kind: 'embedded' as const, dataDir: resolve(cwd, e.DATA_DIR) },
    teams: {
      enabled: teamsEnabled,
      authenticated: teamsAuthenticated,
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      appType,
      appTenantId: e.MicrosoftAppTenantId,
    },
    slack: {
      enabled: slackEnabled,
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL,
      notifyChannel: e.SLACK_NOTIFY_CHANNEL,
    },
    partnerCenter: {
      mode,
      partnerTenantId: e.PARTNER_TENANT_ID ?? EMULATOR_PARTNER_TENANT_ID,
      clientId: e.PARTNER_CENTER_CLIENT_ID,
      clientSecret: e.PARTNER_CENTER_CLIENT_SECRET,
      refreshToken: e.PARTNER_CENTER_REFRESH_TOKEN,
      apiUrl: e.PARTNER_CENTER_API_URL ?? (mode === 'live' ? 'https://api.partnercenter.microsoft.com' : undefined),
      graphUrl: e.GRAPH_API_URL ?? (mode === 'live' ? 'https://graph.microsoft.com/v1.0' : undefined),
      partnerName: e.PARTNER_NAME ?? (production ? 'Your Microsoft partner' : 'Contoso Partner (local)'),
      msppId: e.MSPP_ID,
    },
    gdap: { enabled: e.GDAP_ENABLED, roles, duration: e.GDAP_DURATION },
    schedules: { poll: e.POLL_SCHEDULE, reminder: e.REMINDER_SCHEDULE, reminderAfterDays: e.REMINDER_AFTER_DAYS },
    access: {
      allowedTenantIds: e.ALLOWED_TENANT_IDS,
      allowedSlackTeamIds: e.ALLOWED_SLACK_TEAM_IDS,
      requesters: e.REQUESTERS,
    },
    draftTemplatePath,
    secrets: secretValues(e),
    warnings,
  });
}

function secretValues(e: z.infer<typeof schema>): string[] {
  const values = [
    e.MicrosoftAppPassword,
    e.SLACK_BOT_TOKEN,
    e.SLACK_SIGNING_SECRET,
    e.PARTNER_CENTER_CLIENT_SECRET,
    e.PARTNER_CENTER_REFRESH_TOKEN,
  ];
  if (e.MONGODB_URI) {
    const password = /^mongodb(?:\+srv)?:\/\/[^:@/]*:([^@/]+)@/.exec(e.MONGODB_URI)?.[1];
    if (password) {
      values.push(e.MONGODB_URI, password);
      try {
        values.push(decodeURIComponent(password));
      } catch {
        // not percent-encoded; the raw form is already listed
      }
    }
  }
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length >= 4))];
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname.replace(/^\[|\]$/g, ''));
  } catch {
    return false;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
