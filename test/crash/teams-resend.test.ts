/**
 * A Teams message whose turn was cut short — the process killed with SIGKILL a few milliseconds to a few hundred
 * into it — and that Teams sends again after the restart is finished then: one request, its card posted (if it was
 * not), never a second request. Teams offers no way to read a conversation back, so a kill in the instant between the
 * Bot Connector taking the card and the bot recording it can still cost a second card; those runs are counted apart
 * (the store then holds a request with no card while the connector has one), not hidden.
 */
import { strict as assert } from 'node:assert';
import { openEmbeddedStore } from '../../src/adapters/store/embedded/embedded-store.js';
import { FakeBotConnector } from '../fakes/bot-connector.js';
import { startBot, type Running } from '../support/bot-process.js';
import { teamsFixture } from '../support/teams.js';
import { tempDir } from '../support/temp.js';

const KILL_AFTER_MS = [5, 20, 50, 100, 200, 400];

describe('crash: SIGKILL during a Teams turn, then Teams sends the message again', () => {
  let connector: FakeBotConnector;
  const dirs: Awaited<ReturnType<typeof tempDir>>[] = [];
  const bots: Running[] = [];
  before(async () => {
    connector = await FakeBotConnector.start();
  });
  after(async () => {
    for (const bot of bots.splice(0)) {
      bot.child.kill('SIGKILL');
      await bot.exit;
    }
    await connector.close();
    for (const dir of dirs) await dir.remove();
  });

  // one test per moment of the kill: each starts two bot processes, which on a loaded machine take seconds each
  for (const delay of KILL_AFTER_MS) {
    it(`finishes the work of a message re-sent after a kill at ${delay} ms: one request and one card`, async () => {
      const dir = await tempDir('prb-crash-teams-');
      dirs.push(dir);
      const boot = () => {
        const bot = startBot(dir.path, { PORT: '0', DATA_DIR: dir.path });
        bots.push(bot);
        return bot;
      };
      const customer = `Resend Customer ${delay}`;
      const activity = JSON.stringify({
        ...teamsFixture('personal-message', { serviceUrl: connector.url }),
        id: `resend-${delay}`,
        text: `request relationship ${customer} it@resend${delay}.example`,
      });
      const send = (url: string) =>
        fetch(`${url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: activity,
        });
      const cards = () =>
        connector.posts().filter((p) => JSON.stringify(p.body).includes(`"text":"${customer}"`)).length;

      const first = boot();
      const firstUrl = await first.ready;
      const turn = send(firstUrl).then(
        (res) => res.status,
        () => 'cut off',
      );
      // the kill lands at some point of the turn: which one varies, and every one must end the same way
      await new Promise((resolve) => setTimeout(resolve, delay));
      first.child.kill('SIGKILL');
      await first.exit;
      const firstAnswer = await turn;

      const inspect = await openEmbeddedStore(dir.path);
      const [stored] = await inspect.requests.list({ limit: 5 });
      await inspect.close();
      const cardsBefore = cards();
      const inTheInstant = stored !== undefined && stored.card === undefined && cardsBefore > 0;

      const second = boot();
      const res = await send(await second.ready);
      assert.equal(res.status, 200, `the re-send after a kill at ${delay} ms is answered`);
      second.child.kill('SIGTERM');
      assert.equal(await second.exit, 0);

      const check = await openEmbeddedStore(dir.path);
      const requests = await check.requests.list({ limit: 5 });
      await check.close();
      const run = {
        killAfterMs: delay,
        firstAnswer,
        storedBeforeResend: stored ? (stored.card ? 'request + card' : 'request, no card') : 'nothing',
        requests: requests.length,
        cards: cards(),
        killedBetweenPostAndRecord: inTheInstant,
      };
      // eslint-disable-next-line no-console -- the run is what this test reports
      console.log(`      ${JSON.stringify(run)}`);
      assert.equal(requests.length, 1, `one request: ${JSON.stringify(run)}`);
      assert.ok(requests[0]?.card, `its card is recorded: ${JSON.stringify(run)}`);
      assert.equal(cards(), inTheInstant ? 2 : 1, `one card: ${JSON.stringify(run)}`);
    });
  }
});
