/**
 * The disk fills up under a real bot process (here: `ulimit -f`, so every datafile stops growing at 96 KiB and writes
 * fail as on a full disk). Each person is told either the card of a request that was stored, or "Storage is
 * unavailable right now, so nothing was changed" — never a 5xx or an apology for a bug; /readyz says why; and no
 * datafile holds a half-written line.
 */
import { strict as assert } from 'node:assert';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openEmbeddedStore } from '../../src/adapters/store/embedded/embedded-store.js';
import { FakeBotConnector } from '../fakes/bot-connector.js';
import { startBot, type Running } from '../support/bot-process.js';
import { cardOf, stringsOf, teamsFixture } from '../support/teams.js';
import { tempDir } from '../support/temp.js';

const REQUESTS = 120;
const STORE_DOWN = 'Storage is unavailable right now, so nothing was changed.';

describe('crash: the disk fills up under a running bot', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let connector: FakeBotConnector;
  let bot: Running | undefined;
  before(async () => {
    connector = await FakeBotConnector.start();
    dir = await tempDir('prb-disk-full-');
  });
  after(async () => {
    bot?.child.kill('SIGKILL');
    if (bot) await bot.exit;
    await connector.close();
    await dir.remove();
  });

  it('answers "storage unavailable" once writes fail, says so on /readyz, and leaves no torn line', async () => {
    bot = startBot(dir.path, { PORT: '0', DATA_DIR: dir.path, GDAP_ENABLED: 'false' }, { fileSizeLimitKiB: 96 });
    const url = await bot.ready;
    const statuses: Record<number, number> = {};
    const answers = { card: 0, storeDown: 0, other: 0 };
    for (let i = 0; i < REQUESTS; i++) {
      const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...teamsFixture('personal-message', { serviceUrl: connector.url }),
          id: `full-${i}`,
          text: `request relationship Full Disk Customer ${i} it@full${i}.example`,
        }),
      });
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const reply = connector.posts().at(-1);
      const strings = reply ? stringsOf(cardOf(reply.body)) : [];
      if (strings.includes(`Full Disk Customer ${i}`)) answers.card++;
      else if (strings.some((s) => s.startsWith(STORE_DOWN))) answers.storeDown++;
      else answers.other++;
    }
    const ready = await fetch(`${url}/readyz`);
    const readiness = (await ready.json()) as Record<string, string>;
    bot.child.kill('SIGTERM');
    await bot.exit;

    const torn: string[] = [];
    for (const file of (await readdir(dir.path)).filter((f) => f.endsWith('.db'))) {
      const lines = (await readFile(join(dir.path, file), 'utf8')).split('\n').filter((l) => l.length > 0);
      for (const line of lines) {
        try {
          JSON.parse(line);
        } catch {
          torn.push(`${file}: ${line.slice(0, 60)}`);
        }
      }
    }
    const store = await openEmbeddedStore(dir.path);
    const stored = await store.requests.count({});
    await store.close();
    // eslint-disable-next-line no-console -- the counts are what this test reports
    console.log(
      `      ${JSON.stringify({ requests: REQUESTS, statuses, answers, stored, readyz: ready.status, torn: torn.length })}`,
    );
    assert.deepEqual(Object.keys(statuses), ['200'], 'never a 5xx');
    assert.equal(answers.other, 0, 'each person got their card or "storage is unavailable"');
    assert.ok(answers.storeDown > 0, 'the disk did fill up');
    assert.equal(stored, answers.card, 'a request is stored exactly when its card was shown');
    assert.equal(ready.status, 503);
    assert.match(readiness['reason'] ?? '', /cannot write .*\.db: the file reached its size limit \(EFBIG\)/);
    assert.deepEqual(torn, [], 'no half-written line in any datafile');
  });
});
