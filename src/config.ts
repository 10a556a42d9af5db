/**
 * Configuration (docs/configuration.md): the only module that reads the environment. `loadConfig` checks every key
 * once, at start-up, area by area (src/config/), and either returns a frozen `Config` or throws `ConfigError` with one
 * line per problem, each naming the variable and the fix. Secret values never appear in those lines.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { z } from 'zod';
import { access } from './config/access.js';
import type { Area, AreaContext } from './config/area.js';
import { draft } from './config/draft.js';
import { isLoopbackHost } from './config/fields.js';
import { gdap } from './config/gdap.js';
import { jobs } from './config/jobs.js';
import { partnerCenter } from './config/partner-center.js';
import { isProduction, server } from './config/server.js';
import { mongoSecrets, store } from './config/store.js';
import { slack } from './config/slack.js';
import { teams } from './config/teams.js';

export { DEFAULT_DRAFT_TEMPLATE } from './config/draft.js';
export { DEFAULT_GDAP_ROLES } from './config/gdap.js';
export { EMULATOR_PARTNER_TENANT_ID } from './config/partner-center.js';

/** The areas of the configuration, each with its keys and checks (src/config/). */
const AREAS = { server, store, teams, slack, partnerCenter, gdap, jobs, access, draft } as const;

/** Every key the bot reads, from the areas' schemas; `.env.example` lists exactly these (a test checks). */
export const ENV_KEYS: readonly string[] = Object.values(AREAS).flatMap((area) => Object.keys(area.schema.shape));

export type Environment = Readonly<Record<string, string | undefined>>;

type Built<A> = A extends Area<z.ZodRawShape, infer C> ? C : never;

export type Config = Readonly<
  Built<typeof server> & {
    readonly store: Built<typeof store>;
    readonly teams: Built<typeof teams>;
    readonly slack: Built<typeof slack>;
    readonly partnerCenter: Built<typeof partnerCenter>;
    readonly gdap: Built<typeof gdap>;
    readonly schedules: Built<typeof jobs>;
    readonly access: Built<typeof access>;
    readonly draftTemplatePath: string;
    /** values that must never be logged (pino scrubs them; see logging.ts) */
    readonly secrets: readonly string[];
    /** problems worth a warning at start-up that do not stop it */
    readonly warnings: readonly string[];
  }
>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The environment as the bot sees it: `.env` in `cwd` (when present) under the real environment, which wins.
 * Call once, in main.
 */
export function readEnvironment(cwd = process.cwd()): Environment {
  const file = resolve(cwd, '.env');
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

/**
 * Check the environment and build the configuration, or throw `ConfigError` listing every problem of every area in
 * one pass (an area whose values do not parse still lets the others run their checks).
 */
export function loadConfig(env: Environment, cwd = process.cwd()): Config {
  // Empty values mean "not set" (a `.env` copied from `.env.example` is full of them).
  const raw: Record<string, string> = {};
  for (const key of ENV_KEYS) {
    const value = env[key]?.trim();
    if (value) raw[key] = value;
  }
  const problems: string[] = [];
  const warnings: string[] = [];
  const context: AreaContext = {
    production: isProduction(raw['NODE_ENV']),
    cwd,
    problem: (line) => problems.push(line),
    warn: (line) => warnings.push(line),
  };
  const built = {
    server: run(server, raw, context),
    store: run(store, raw, context),
    teams: run(teams, raw, context),
    slack: run(slack, raw, context),
    partnerCenter: run(partnerCenter, raw, context),
    gdap: run(gdap, raw, context),
    jobs: run(jobs, raw, context),
    access: run(access, raw, context),
    draft: run(draft, raw, context),
  };
  acrossAreas(built, context);
  const { server: s, store: st, teams: t, slack: sl, partnerCenter: pc, gdap: g, jobs: j, access: a, draft: d } = built;
  if (problems.length > 0 || !s || !st || !t || !sl || !pc || !g || !j || !a || d === undefined) {
    throw new ConfigError(problems);
  }
  return deepFreeze({
    ...s,
    store: st,
    teams: t,
    slack: sl,
    partnerCenter: pc,
    gdap: g,
    schedules: j,
    access: a,
    draftTemplatePath: d,
    secrets: secretValues(
      t.appPassword,
      sl.botToken,
      sl.signingSecret,
      pc.clientSecret,
      pc.refreshToken,
      ...mongoSecrets(st.kind === 'mongodb' ? st.uri : undefined),
    ),
    warnings,
  });
}

/**
 * One area: its keys parsed (each problem a line naming the key), then its own checks. When a key is malformed the
 * checks still run, with that key taken as unset (its own line already says what is wrong), so every problem shows
 * in one pass; the area then yields nothing.
 */
function run<S extends z.ZodRawShape, C>(area: Area<S, C>, raw: Record<string, string>, context: AreaContext) {
  const parsed = area.schema.safeParse(raw);
  if (parsed.success) return area.build(parsed.data, context);
  const malformed = new Set<string>();
  for (const issue of parsed.error.issues) {
    malformed.add(String(issue.path[0]));
    context.problem(`${issue.path.join('.')}: ${issue.message}`);
  }
  const rest = area.schema.safeParse(Object.fromEntries(Object.entries(raw).filter(([key]) => !malformed.has(key))));
  if (rest.success) {
    area.build(rest.data, {
      ...context,
      problem: (line) => {
        if (!malformed.has(line.slice(0, line.indexOf(':')))) context.problem(line);
      },
    });
  }
  return undefined;
}

/** Checks that need two areas at once (skipped where an area did not parse; its problems are already listed). */
function acrossAreas(
  built: {
    server: Built<typeof server> | undefined;
    teams: Built<typeof teams> | undefined;
    slack: Built<typeof slack> | undefined;
  },
  { production, problem, warn }: AreaContext,
): void {
  const { server: s, teams: t, slack: sl } = built;
  if (production && t && sl && !t.enabled && !sl.enabled) {
    problem(
      'TEAMS_ENABLED: production needs a chat platform — keep Teams on (MicrosoftAppId) or set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET.',
    );
  }
  if (s && t?.enabled && !t.authenticated && !production && !isLoopbackHost(s.http.host)) {
    warn(
      `Teams authentication is off (no MicrosoftAppId) while listening on ${s.http.host}: anyone who can reach this port can talk to the bot.`,
    );
  }
}

function secretValues(...values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length >= 4))];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
