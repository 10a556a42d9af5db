/**
 * Nothing Slack was answered for is lost: a real bot process takes a burst of signed `/relationship` commands and is
 * killed with SIGKILL while they are still coming in; a new process on the same data directory finishes every command
 * that was acknowledged — one request and one card each — and none twice. Slack never retries a slash command, so an
 * acknowledged command the bot forgot would be lost for good.
 */
import { strict as assert } from 'node:assert';
import { openEmbeddedStore } from '../../src/adapters/store/embedded/embedded-store.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { startBot, type Running } from '../support/bot-process.js';
import { eventually } from '../support/eventually.js';
import { formBody, sign, SIGNING_SECRET, slackFixture } from '../support/slack.js';
import { tempDir } from '../support/temp.js';

const COMMANDS = 60;
const KILL_AFTER_ACKS = 40;
const AT_ONCE = 6;

describe('crash: SIGKILL in the middle of a burst of Slack commands', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let slack: FakeSlackApi;
  const bots: Running[] = [];
  beforeEach(async () => {
    dir = await tempDir('prb-crash-slack-');
    slack = await FakeSlackApi.start();
  });
  afterEach(async () => {
    for (const bot of bots.splice(0)) {
      bot.child.kill('SIGKILL');
      await bot.exit;
    }
    await slack.close();
    await dir.remove();
  });

  const boot = () => {
    const bot = startBot(dir.path, {
      PORT: '0',
      DATA_DIR: dir.path,
      TEAMS_ENABLED: 'false',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
    });
    bots.push(bot);
    return bot;
  };
  const customer = (i: number) => `Crash Customer ${i}`;

  it('finishes every acknowledged command exactly once after a restart', async () => {
    const first = boot();
    const url = await first.ready;
    const acked = new Set<number>();
    let next = 0;
    let killed = false;
    const send = async (i: number) => {
      const body = formBody(
        slackFixture('slash-command', {
          text: `request relationship ${customer(i)} it${i}@crash${i}.example`,
          responseUrl: slack.responseUrl(`crash-${i}`),
          triggerId: `1700000000.${i}.crash`,
        }),
      );
      const ts = Math.floor(Date.now() / 1000);
      try {
        const res = await fetch(`${url}/slack/events`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-slack-request-timestamp': String(ts),
            'x-slack-signature': sign(body, ts),
          },
          body,
        });
        // an empty 200 is Slack's "acknowledged"; anything else (a "busy" answer) is not
        if (res.status === 200 && (await res.text()) === '') acked.add(i);
      } catch {
        // the process died while this one was on its way: not acknowledged
      }
      if (!killed && acked.size >= KILL_AFTER_ACKS) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    };
    await Promise.all(
      Array.from({ length: AT_ONCE }, async () => {
        while (next < COMMANDS && !killed) await send(next++);
      }),
    );
    await first.exit;
    const cardsOf = (i: number) =>
      slack.of('chat.postMessage').filter((c) => String(c.body['text']).includes(`for ${customer(i)}:`)).length;
    const beforeRestart = [...acked].filter((i) => cardsOf(i) > 0).length;

    const second = boot();
    await second.ready;
    await eventually(
      () => ([...acked].every((i) => cardsOf(i) >= 1) ? true : undefined),
      'a card for every acknowledged command',
    );
    second.child.kill('SIGTERM');
    assert.equal(await second.exit, 0);

    const store = await openEmbeddedStore(dir.path);
    const requests = await store.requests.list({ limit: 1_000 });
    await store.close();
    const requestsOf = (i: number) => requests.filter((r) => r.customerName === customer(i)).length;
    const sent = next;
    const counts = {
      sent,
      acknowledged: acked.size,
      cardsBeforeTheKill: beforeRestart,
      finishedAfterRestart: [...acked].filter((i) => requestsOf(i) === 1 && cardsOf(i) === 1).length,
      duplicateRequests: Array.from({ length: sent }, (_, i) => Math.max(0, requestsOf(i) - 1)).reduce(
        (a, b) => a + b,
        0,
      ),
      duplicateCards: Array.from({ length: sent }, (_, i) => Math.max(0, cardsOf(i) - 1)).reduce((a, b) => a + b, 0),
    };
    // eslint-disable-next-line no-console -- the counts are what this test reports
    console.log(`      ${JSON.stringify(counts)}`);
    assert.ok(acked.size >= KILL_AFTER_ACKS, 'the kill came after the acknowledgements it waited for');
    assert.ok(beforeRestart < acked.size, 'some acknowledged commands were still unfinished when the process died');
    assert.equal(counts.finishedAfterRestart, acked.size, 'every acknowledged command has one request and one card');
    assert.equal(counts.duplicateRequests, 0);
    assert.equal(counts.duplicateCards, 0);
  });
});
