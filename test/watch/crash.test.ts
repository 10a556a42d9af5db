/**
 * The crash test: the process dies between posting a notification and recording that it did (and, in a
 * second case, between detecting a change and handling it); a new process on the same store picks up. Counts are
 * printed: events, deliveries expected, delivered, duplicates, lost. A standalone emulator serves both processes.
 */
import { strict as assert } from 'node:assert';
import type { RunningApp } from '../../src/app.js';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openEmbeddedStore } from '../../src/adapters/store/embedded/embedded-store.js';
import type { RunnerHooks } from '../../src/core/outbox/runner.js';
import type { Store } from '../../src/core/ports.js';
import type { EmulatorServer } from '../../src/emulator/server.js';
import { FakeBotConnector } from '../fakes/bot-connector.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { startTestEmulator } from '../support/emulator.js';
import { captureLogger } from '../support/logs.js';
import { NOTIFY_CHANNEL, SIGNING_SECRET, eventually } from '../support/slack.js';
import { teamsFixture } from '../support/teams.js';
import { tempDir } from '../support/temp.js';
import { FAST_WORKER, TEAM } from '../support/watch.js';

describe('crash between detection, posting and recording (issue "must show")', function () {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: Store;
  let emulator: EmulatorServer;
  let connector: FakeBotConnector;
  let slack: FakeSlackApi;
  const apps: RunningApp[] = [];

  beforeEach(async () => {
    dir = await tempDir('prb-crash-');
    store = await openEmbeddedStore(dir.path);
    emulator = await startTestEmulator();
    connector = await FakeBotConnector.start();
    slack = await FakeSlackApi.start();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    await emulator.close();
    await connector.close();
    await slack.close();
    await store.close();
    await dir.remove();
  });

  /** One bot process on the shared store; claims lapse quickly so the next process can take over. */
  async function boot(jobHooks: RunnerHooks = {}): Promise<RunningApp> {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dir.path,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_NOTIFY_CHANNEL: NOTIFY_CHANNEL,
      PARTNER_CENTER_API_URL: `${emulator.url}/emulator/partner-center`,
    });
    const app = await startApp(config, captureLogger().logger, {
      store,
      worker: { ...FAST_WORKER, lockMs: 300 },
      jobHooks,
    });
    emulator.webhookUrl = `${app.url}/api/partner-center/webhooks`;
    return app;
  }

  /** "Kill" a process: it claims nothing more, stops listening, and never finishes what it holds. */
  async function kill(app: RunningApp): Promise<void> {
    void app.worker.stop();
    await new Promise<void>((done) => {
      app.server.closeAllConnections();
      app.server.close(() => {
        done();
      });
    });
    await app.scheduler.stop();
  }

  async function requestAndSubscribe(app: RunningApp) {
    const send = (activity: Record<string, unknown>, id: string) =>
      fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...activity, id }),
      });
    await send(teamsFixture('installation-update-add', { serviceUrl: connector.url }), 'a1');
    await send(teamsFixture('channel-message-mention', { serviceUrl: connector.url }), 'a2');
    return eventually(async () => (await store.requests.list({ limit: 5 }))[0], 'the request');
  }

  function counts(events: number) {
    const teams = connector.posts().filter((p) => p.conversationId === TEAM && p.body['summary']).length;
    const slackPosts = slack.of('chat.postMessage').filter((c) => c.body['channel'] === NOTIFY_CHANNEL).length;
    const expected = events * 2;
    const delivered = Math.min(teams, events) + Math.min(slackPosts, events);
    return {
      events,
      expected,
      delivered,
      duplicates: Math.max(0, teams - events) + Math.max(0, slackPosts - events),
      lost: expected - delivered,
      teams,
      slack: slackPosts,
    };
  }

  it('dies after posting, before recording: Slack is checked (no duplicate), Teams is posted again (at least once)', async () => {
    // Fault injection: once armed, a delivery is posted and then never recorded — the process is as good as dead there.
    let armed = false;
    let stuck = 0;
    const a = await boot({
      beforeComplete: (key) => {
        if (!armed || !key.startsWith('deliver:')) return Promise.resolve();
        stuck++;
        return new Promise<void>(() => undefined);
      },
    });
    apps.push(a);
    await requestAndSubscribe(a);
    await a.worker.idle();
    connector.reset();
    slack.reset();
    armed = true;
    await fetch(`${emulator.url}/emulator/control/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ companyName: 'Contoso Ltd', domain: 'contoso.com' }),
    });
    await emulator.emulator.webhooks.settled();
    await eventually(() => (stuck === 2 ? true : undefined), 'both posts made, neither recorded');
    await kill(a);
    apps.splice(apps.indexOf(a), 1);
    const before = counts(1);

    // The restarted process picks up the two in-doubt deliveries once their claims lapse.
    const b = await boot();
    apps.push(b);
    await eventually(
      async () => {
        const teamsItem = await store.outbox.get(
          `deliver:relationship.accepted:${String(emulator.emulator.state.customers.keys().next().value)}>teams:${TEAM}`,
        );
        const slackItem = await store.outbox.get(
          `deliver:relationship.accepted:${String(emulator.emulator.state.customers.keys().next().value)}>slack:${NOTIFY_CHANNEL}`,
        );
        return teamsItem?.state === 'delivered' && slackItem?.state === 'delivered' ? true : undefined;
      },
      'both deliveries recorded after the restart',
      10_000,
    );
    await b.worker.idle();
    const after = counts(1);
    // eslint-disable-next-line no-console -- the counts are what this test reports
    console.log(`      before restart: ${JSON.stringify(before)}\n      after restart:  ${JSON.stringify(after)}`);
    assert.equal(after.lost, 0, 'nothing lost');
    assert.equal(after.slack, 1, 'Slack: the post was found in the channel history, not repeated');
    assert.ok(slack.of('conversations.history').length >= 1, 'Slack was asked');
    assert.equal(after.teams, 2, 'Teams cannot be asked: the in-doubt post is made again (at least once)');
  });

  it('dies after detecting, before handling: the restarted process notifies once per channel', async () => {
    const a = await boot();
    apps.push(a);
    await requestAndSubscribe(a);
    connector.reset();
    slack.reset();
    // The process dies as the event is recorded: it never claims the event (nor anything else).
    await a.worker.stop();
    await fetch(`${emulator.url}/emulator/control/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ companyName: 'Contoso Ltd', domain: 'contoso.com' }),
    });
    await emulator.emulator.webhooks.settled();
    await kill(a);
    apps.splice(apps.indexOf(a), 1);
    assert.deepEqual(counts(1).delivered, 0, 'nothing posted before the crash');
    const b = await boot();
    apps.push(b);
    await eventually(() => (counts(1).delivered === 2 ? true : undefined), 'both notifications', 10_000);
    await b.scheduler.runNow('reconciler');
    await b.worker.idle();
    await b.worker.drain();
    const result = counts(1);
    // eslint-disable-next-line no-console -- the counts are what this test reports
    console.log(`      ${JSON.stringify(result)}`);
    assert.deepEqual(
      { delivered: result.delivered, duplicates: result.duplicates, lost: result.lost },
      { delivered: 2, duplicates: 0, lost: 0 },
    );
    assert.equal((await store.requests.list({ limit: 5 }))[0]?.status, 'accepted');
  });
});
