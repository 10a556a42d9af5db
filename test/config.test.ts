import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import {
  ConfigError,
  DEFAULT_DRAFT_TEMPLATE,
  DEFAULT_GDAP_ROLES,
  ENV_KEYS,
  loadConfig,
  readEnvironment,
  type Environment,
} from '../src/config.js';
import { tempDir } from './support/temp.js';

const CWD = '/srv/bot';

function problems(env: Environment): string[] {
  try {
    loadConfig(env, CWD);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return [...err.problems];
  }
  assert.fail('expected the configuration to be refused');
}

const PRODUCTION: Environment = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://bot.example.com',
  MONGODB_URI: 'mongodb://bot:p%40ss-w0rd!@db.internal:27017/?replicaSet=rs0',
  MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
  MicrosoftAppPassword: 'bot-app-client-secret-value',
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: '66666666-7777-8888-9999-000000000000',
  PARTNER_TENANT_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  PARTNER_CENTER_CLIENT_ID: 'ffffffff-0000-1111-2222-333333333333',
  PARTNER_CENTER_CLIENT_SECRET: 'partner-center-client-secret',
  PARTNER_CENTER_REFRESH_TOKEN: '0.ARoA-refresh-token-value',
};

describe('configuration (docs/configuration.md)', () => {
  it('needs nothing for local mode: loopback 3978, embedded store, emulator, unauthenticated Teams', () => {
    const config = loadConfig({}, CWD);
    assert.equal(config.production, false);
    assert.deepEqual(config.http, { host: '127.0.0.1', port: 3978, publicUrl: undefined });
    assert.deepEqual(config.store, { kind: 'embedded', dataDir: '/srv/bot/data' });
    assert.equal(config.teams.enabled, true);
    assert.equal(config.teams.authenticated, false);
    assert.equal(config.slack.enabled, false);
    assert.equal(config.slack.apiUrl, 'https://slack.com/api/');
    assert.equal(config.partnerCenter.mode, 'emulator');
    assert.equal(config.partnerCenter.apiUrl, undefined, 'the built-in emulator');
    assert.equal(config.partnerCenter.msppId, '0');
    assert.deepEqual(config.gdap, {
      enabled: true,
      roles: [...DEFAULT_GDAP_ROLES],
      duration: 'P730D',
      autoExtend: false,
      accessAssignments: [],
    });
    assert.deepEqual(config.schedules, { poll: '*/5 * * * *', reminder: '0 9 * * 1-5', reminderAfterDays: 3 });
    assert.deepEqual(config.access, { allowedTenantIds: [], allowedSlackTeamIds: [], requesters: [] });
    assert.equal(config.draftTemplatePath, DEFAULT_DRAFT_TEMPLATE);
    assert.equal(config.logLevel, 'info');
    assert.deepEqual(config.secrets, []);
  });

  it('treats empty values as unset (a .env copied from .env.example)', () => {
    const env = Object.fromEntries(ENV_KEYS.map((k) => [k, '']));
    assert.deepEqual(loadConfig(env, CWD), loadConfig({}, CWD));
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig(PRODUCTION, CWD);
    assert.equal(config.production, true);
    assert.equal(config.http.host, '0.0.0.0');
    assert.deepEqual(config.store, {
      kind: 'mongodb',
      uri: PRODUCTION['MONGODB_URI'],
      database: 'partner_relationships',
    });
    assert.equal(config.teams.authenticated, true);
    assert.equal(config.teams.appType, 'SingleTenant');
    assert.equal(config.partnerCenter.mode, 'live');
    assert.equal(config.partnerCenter.apiUrl, 'https://api.partnercenter.microsoft.com');
    assert.equal(config.partnerCenter.graphUrl, 'https://graph.microsoft.com/v1.0');
  });

  it('refuses production without real configuration, one line per problem naming the variable and the fix', () => {
    // area by area: server, store, Teams, Partner Center
    assert.deepEqual(problems({ NODE_ENV: 'production' }), [
      'PUBLIC_URL: required in production — the https address Teams, Slack and Partner Center call, e.g. https://bot.example.com.',
      'MONGODB_URI: required in production — the embedded store is for local mode and one instance. Set MONGODB_URI, or ALLOW_EMBEDDED_STORE=true to accept a single-instance file store.',
      'MicrosoftAppId: required in production while Teams is on — set it to your Azure Bot app id, or set TEAMS_ENABLED=false.',
      'PARTNER_CENTER_MODE: the Partner Center emulator is not available in production — set PARTNER_TENANT_ID, PARTNER_CENTER_CLIENT_ID, PARTNER_CENTER_CLIENT_SECRET and PARTNER_CENTER_REFRESH_TOKEN.',
    ]);
  });

  it('reports every problem in one pass: malformed values and the cross-field rules of every other area', () => {
    const found = problems({ NODE_ENV: 'production', PORT: 'eighty', MicrosoftAppId: 'not-a-guid', GDAP_ROLES: 'x' });
    assert.deepEqual(
      found.map((line) => line.slice(0, line.indexOf(':'))).sort(),
      ['GDAP_ROLES.0', 'MONGODB_URI', 'MicrosoftAppId', 'PARTNER_CENTER_MODE', 'PORT', 'PUBLIC_URL'],
      found.join('\n'),
    );
  });

  it('reads NODE_ENV without case, and refuses values it does not know instead of running local mode', () => {
    assert.equal(loadConfig({ ...PRODUCTION, NODE_ENV: 'Production' }, CWD).production, true);
    assert.equal(loadConfig({ NODE_ENV: 'development' }, CWD).production, false);
    const found = problems({ NODE_ENV: 'prod' });
    assert.equal(found[0], 'NODE_ENV: must be production, development or test (or unset for local mode)');
    assert.ok(
      found.some((line) => line.startsWith('MONGODB_URI: required in production')),
      'an unknown NODE_ENV is checked as production, so its other problems show in the same pass',
    );
  });

  it('allows the embedded store in production only when explicitly allowed', () => {
    const { MONGODB_URI: _, ...withoutMongo } = PRODUCTION;
    assert.match(problems(withoutMongo).join('\n'), /^MONGODB_URI: required in production/);
    assert.equal(loadConfig({ ...withoutMongo, ALLOW_EMBEDDED_STORE: 'true' }, CWD).store.kind, 'embedded');
  });

  it('allows production without Teams only when another platform is on', () => {
    const {
      MicrosoftAppId: _a,
      MicrosoftAppPassword: _b,
      MicrosoftAppType: _c,
      MicrosoftAppTenantId: _d,
      ...noTeams
    } = PRODUCTION;
    assert.match(
      problems({ ...noTeams, TEAMS_ENABLED: 'false' }).join('\n'),
      /^TEAMS_ENABLED: production needs a chat platform/,
    );
    const slackOnly = loadConfig(
      {
        ...noTeams,
        TEAMS_ENABLED: 'false',
        SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
        SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
      },
      CWD,
    );
    assert.equal(slackOnly.slack.enabled, true);
    assert.equal(slackOnly.teams.enabled, false);
  });

  it('names the missing live Partner Center credentials', () => {
    assert.deepEqual(problems({ PARTNER_CENTER_CLIENT_ID: 'ffffffff-0000-1111-2222-333333333333' }), [
      'PARTNER_TENANT_ID: required for live Partner Center access (PARTNER_CENTER_MODE=live) — see docs/configuration.md.',
      'PARTNER_CENTER_CLIENT_SECRET: required for live Partner Center access (PARTNER_CENTER_MODE=live) — see docs/configuration.md.',
      'PARTNER_CENTER_REFRESH_TOKEN: required for live Partner Center access (PARTNER_CENTER_MODE=live) — see docs/configuration.md.',
    ]);
    assert.equal(
      loadConfig({ PARTNER_CENTER_MODE: 'emulator', PARTNER_TENANT_ID: PRODUCTION['PARTNER_TENANT_ID'] }, CWD)
        .partnerCenter.partnerTenantId,
      PRODUCTION['PARTNER_TENANT_ID'],
    );
  });

  it('checks the Bot Framework app type rules botbuilder enforces', () => {
    const app = { MicrosoftAppId: '11111111-2222-3333-4444-555555555555' };
    assert.deepEqual(problems({ ...app, MicrosoftAppType: 'singletenant', MicrosoftAppPassword: 'x' }), [
      "MicrosoftAppTenantId: required when MicrosoftAppType=SingleTenant — set it to the bot app's Entra tenant id.",
    ]);
    assert.deepEqual(
      problems({
        ...app,
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: '66666666-7777-8888-9999-000000000000',
        MicrosoftAppPassword: 'x',
      }),
      ['MicrosoftAppPassword: must be empty when MicrosoftAppType=UserAssignedMSI (the managed identity signs in).'],
    );
    assert.deepEqual(problems(app), [
      'MicrosoftAppPassword: required with MicrosoftAppId — set it to a client secret of the bot app.',
    ]);
    assert.deepEqual(problems({ MicrosoftAppPassword: 'x' }), [
      'MicrosoftAppId: missing, but other MicrosoftApp* keys are set — set MicrosoftAppId or remove them.',
    ]);
    assert.equal(
      loadConfig(
        { ...app, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: '66666666-7777-8888-9999-000000000000' },
        CWD,
      ).teams.appType,
      'UserAssignedMSI',
    );
  });

  it('needs both Slack keys', () => {
    assert.deepEqual(problems({ SLACK_BOT_TOKEN: 'xoxb-1' }), [
      'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN — Slack is on only when both are set.',
    ]);
    assert.deepEqual(problems({ SLACK_SIGNING_SECRET: '8f742231b10e8888' }), [
      'SLACK_BOT_TOKEN: required with SLACK_SIGNING_SECRET — Slack is on only when both are set.',
    ]);
  });

  it('reports every malformed value at once, by variable, without echoing secrets', () => {
    const lines = problems({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      MONGODB_URI: 'postgres://x',
      MicrosoftAppId: 'not-a-guid',
      MicrosoftAppType: 'Global',
      SLACK_BOT_TOKEN: 'xoxp-user-token-secret',
      SLACK_NOTIFY_CHANNEL: '#general',
      PARTNER_CENTER_MODE: 'sandbox',
      MSPP_ID: 'abc',
      GDAP_ENABLED: 'maybe',
      GDAP_ROLES: 'Global Administrator',
      GDAP_DURATION: 'P3Y',
      POLL_SCHEDULE: 'every 5 minutes',
      REMINDER_AFTER_DAYS: '0',
      ALLOWED_TENANT_IDS: 'contoso.com',
      REQUESTERS: 'ana@contoso.com',
      PUBLIC_URL: 'not a url',
    });
    const byKey = (key: string) => lines.find((l) => l.startsWith(`${key}: `));
    for (const key of [
      'PORT',
      'LOG_LEVEL',
      'MONGODB_URI',
      'MicrosoftAppId',
      'MicrosoftAppType',
      'SLACK_BOT_TOKEN',
      'SLACK_NOTIFY_CHANNEL',
      'PARTNER_CENTER_MODE',
      'MSPP_ID',
      'GDAP_ENABLED',
      'GDAP_DURATION',
      'POLL_SCHEDULE',
      'REMINDER_AFTER_DAYS',
      'PUBLIC_URL',
    ]) {
      assert.ok(byKey(key), `no line for ${key} in:\n${lines.join('\n')}`);
    }
    assert.ok(lines.some((l) => l.startsWith('GDAP_ROLES')));
    assert.ok(lines.some((l) => l.startsWith('ALLOWED_TENANT_IDS')));
    assert.ok(lines.some((l) => l.startsWith('REQUESTERS')));
    assert.equal(
      byKey('POLL_SCHEDULE'),
      'POLL_SCHEDULE: must be a cron expression (5 fields, or 6 with seconds), e.g. "*/5 * * * *"',
    );
    assert.doesNotMatch(lines.join('\n'), /xoxp-user-token-secret/);
  });

  it('accepts 6-field cron schedules, lists, booleans in any case, and a custom port', () => {
    const config = loadConfig(
      {
        PORT: '0',
        POLL_SCHEDULE: '*/30 * * * * *',
        GDAP_ENABLED: 'FALSE',
        GDAP_DURATION: 'P2Y',
        ALLOWED_TENANT_IDS: ' 72f988bf-86f1-41af-91ab-2d7cd011db47 ,, ',
        REQUESTERS: 'U0123ABCD, 6b1f8b8e-1b2c-4d3e-9f00-0000000000a1',
        SLACK_API_URL: 'http://127.0.0.1:9999/api',
        PUBLIC_URL: 'http://localhost:3978/',
      },
      CWD,
    );
    assert.equal(config.http.port, 0);
    assert.equal(config.schedules.poll, '*/30 * * * * *');
    assert.equal(config.gdap.enabled, false);
    assert.deepEqual(config.access.allowedTenantIds, ['72f988bf-86f1-41af-91ab-2d7cd011db47']);
    assert.deepEqual(config.access.requesters, ['U0123ABCD', '6b1f8b8e-1b2c-4d3e-9f00-0000000000a1']);
    assert.equal(config.slack.apiUrl, 'http://127.0.0.1:9999/api/');
    assert.equal(config.http.publicUrl, 'http://localhost:3978', 'http is fine for loopback outside production');
    assert.match(problems({ PUBLIC_URL: 'http://bot.example.com' }).join(), /PUBLIC_URL: must use https/);
    assert.match(problems({ GDAP_DURATION: 'P731D' }).join(), /between P1D and P730D/);
  });

  it('warns (without stopping) about risky but valid choices', () => {
    const config = loadConfig(
      { HOST: '0.0.0.0', GDAP_ROLES: '62e90394-69f5-4237-9190-012177145e10', SLACK_NOTIFY_CHANNEL: 'C0123456' },
      CWD,
    );
    assert.equal(config.warnings.length, 3);
    assert.match(config.warnings.join('\n'), /Global Administrator/);
    assert.match(config.warnings.join('\n'), /authentication is off .* 0\.0\.0\.0/);
    assert.match(config.warnings.join('\n'), /SLACK_NOTIFY_CHANNEL is set but Slack is off/);
  });

  it('lists secret values for log scrubbing, including the MongoDB password in either form', () => {
    const { secrets } = loadConfig(PRODUCTION, CWD);
    for (const secret of [
      'bot-app-client-secret-value',
      'partner-center-client-secret',
      '0.ARoA-refresh-token-value',
      'p%40ss-w0rd!',
      'p@ss-w0rd!',
      PRODUCTION['MONGODB_URI'],
    ]) {
      assert.ok(secrets.includes(secret as string), secret);
    }
  });

  it('checks that DRAFT_TEMPLATE exists', () => {
    assert.match(
      problems({ DRAFT_TEMPLATE: 'nope/missing.txt' }).join(),
      /^DRAFT_TEMPLATE: no file at \/srv\/bot\/nope\/missing\.txt/,
    );
  });

  it('is frozen', () => {
    const config = loadConfig({}, CWD);
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.http) && Object.isFrozen(config.gdap.roles));
  });

  it('reads .env under the real environment, which wins', async () => {
    const dir = await tempDir();
    try {
      await writeFile(
        join(dir.path, '.env'),
        'PORT=4000\nLOG_LEVEL=debug\n# comment\nPARTNER_NAME="Northwind Partners"\n',
      );
      process.env['LOG_LEVEL'] = 'warn';
      const env = readEnvironment(dir.path);
      assert.equal(env['PORT'], '4000');
      assert.equal(env['LOG_LEVEL'], 'warn');
      assert.equal(env['PARTNER_NAME'], 'Northwind Partners');
      assert.equal(readEnvironment('/nonexistent-dir')['PORT'], process.env['PORT']);
    } finally {
      delete process.env['LOG_LEVEL'];
      await dir.remove();
    }
  });

  it('.env.example lists exactly the keys the configuration reads, each once', () => {
    const example = readFileSync(join(PACKAGE_ROOT, '.env.example'), 'utf8');
    const keys = example
      .split('\n')
      .map((line) => /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)?.[1])
      .filter((k): k is string => Boolean(k));
    assert.deepEqual([...keys].sort(), [...ENV_KEYS].sort());
    assert.equal(new Set(keys).size, keys.length);
  });

  it('.env.example itself is a valid local configuration', () => {
    const example = readFileSync(join(PACKAGE_ROOT, '.env.example'), 'utf8');
    const env = Object.fromEntries(
      example
        .split('\n')
        .map((line) => /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m): [string, string] => [m[1] ?? '', m[2] ?? '']),
    );
    assert.equal(loadConfig(env, CWD).production, false);
  });
});
