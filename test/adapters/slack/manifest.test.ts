/** manifest/slack-manifest.yml: parses, meets the field rules and limits of docs/platforms.md#slack, matches the code. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from '../../../src/adapters/slack/scopes.js';
import { SLASH_COMMAND } from '../../../src/adapters/slack/slack-app.js';
import { REQUEST_USAGE } from '../../../src/core/commands/request.js';
import { PACKAGE_ROOT } from '../../../src/paths.js';
import { FakeSlackApi } from '../../fakes/slack-api.js';
import { startTestApp } from '../../support/app.js';
import { eventually, SIGNING_SECRET } from '../../support/slack.js';

interface SlackManifest {
  _metadata: { major_version: number };
  display_information: { name: string; description?: string; long_description?: string; background_color?: string };
  features: {
    bot_user: { display_name: string; always_online?: boolean };
    slash_commands: {
      command: string;
      url: string;
      description: string;
      usage_hint?: string;
      should_escape?: boolean;
    }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
  };
}

describe('Slack app manifest (manifest/slack-manifest.yml)', () => {
  const manifest = parse(readFileSync(join(PACKAGE_ROOT, 'manifest', 'slack-manifest.yml'), 'utf8')) as SlackManifest;

  it('has the required fields within their limits', () => {
    assert.ok([1, 2].includes(manifest._metadata.major_version));
    const info = manifest.display_information;
    assert.ok(info.name.length > 0 && info.name.length <= 35, 'name ≤ 35');
    assert.ok((info.description ?? '').length <= 140, 'description ≤ 140');
    if (info.long_description !== undefined)
      assert.ok(info.long_description.length >= 175 && info.long_description.length <= 4000);
    assert.match(info.background_color ?? '#000000', /^#[0-9a-fA-F]{6}$/);
    const bot = manifest.features.bot_user;
    assert.ok(bot.display_name.length > 0 && bot.display_name.length <= 80, 'display_name ≤ 80');
    const commands = manifest.features.slash_commands;
    assert.ok(commands.length >= 1 && commands.length <= 50);
    for (const c of commands) {
      assert.match(c.command, /^\/.{1,31}$/, 'command: starts with /, 2–32 characters');
      assert.ok(c.description.length > 0 && c.description.length <= 2000);
      assert.ok((c.usage_hint ?? '').length <= 1000);
      assert.ok(c.url.length <= 3000);
    }
    assert.equal(manifest.settings.interactivity.is_enabled, true);
  });

  it('its command is the one the code listens to, with the request usage as hint', () => {
    assert.deepEqual(
      manifest.features.slash_commands.map((c) => c.command),
      [SLASH_COMMAND],
    );
    assert.equal(manifest.features.slash_commands[0]?.usage_hint, REQUEST_USAGE);
    assert.equal(manifest.features.slash_commands[0].should_escape, false, 'commands arrive as typed');
  });

  it('sends commands, interactivity and events to PUBLIC_URL + /slack/events (docs/behaviour.md#http-endpoints)', () => {
    const urls = [
      ...manifest.features.slash_commands.map((c) => c.url),
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
    ];
    for (const url of urls) assert.match(url, /^https:\/\/[^/]+\/slack\/events$/);
    assert.equal(new Set(urls.map((u) => new URL(u).host)).size, 1, 'one host');
  });

  it('asks for the app_mention event and exactly the bot scopes the bot needs, each explained; history is optional', () => {
    assert.deepEqual(manifest.settings.event_subscriptions.bot_events, ['app_mention']);
    assert.deepEqual([...manifest.oauth_config.scopes.bot].sort(), Object.keys(REQUIRED_SCOPES).sort());
    const text = readFileSync(join(PACKAGE_ROOT, 'manifest', 'slack-manifest.yml'), 'utf8');
    for (const scope of [...Object.keys(REQUIRED_SCOPES), ...Object.keys(OPTIONAL_SCOPES)]) {
      assert.match(text, new RegExp(`- ${scope} # \\S`), `${scope} has a one-line reason`);
    }
  });
});

describe('Slack scopes at start-up (docs/platforms.md#slack-scopes)', () => {
  let slack: FakeSlackApi;
  beforeEach(async () => {
    slack = await FakeSlackApi.start();
  });
  afterEach(async () => {
    await slack.close();
  });
  const start = async () => {
    const app = await startTestApp({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
    });
    await eventually(() => slack.of('auth.test')[0], 'the start-up check');
    await app.stop(); // flushes what the check logged
    return app.logs.entries();
  };

  it('without the history scopes: works, and says once what it gives up', async () => {
    slack.scopes = Object.keys(REQUIRED_SCOPES);
    const logged = await start();
    const warning = logged.filter((e) => e.msg.startsWith('Slack: without channels:history and groups:history'));
    assert.equal(warning.length, 1, JSON.stringify(logged.map((e) => e.msg)));
    assert.match(warning[0]?.msg ?? '', /that one post may appear twice\. Everything else works\./);
    assert.ok(!logged.some((e) => e.level >= 50), 'no error');
  });

  it('with every scope: nothing to say; a missing required scope is an error naming what breaks', async () => {
    assert.ok(!(await start()).some((e) => e.msg.startsWith('Slack: ')), 'quiet with every scope');
    slack.scopes = ['commands', 'app_mentions:read', 'chat:write.public'];
    const logged = await start();
    const error = logged.find((e) => e.level === 50 && e.msg.includes('chat:write scope'));
    assert.match(error?.msg ?? '', /needed for posting and updating cards and notifications\. Add it and reinstall\./);
  });
});
