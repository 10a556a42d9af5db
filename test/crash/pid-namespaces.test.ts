/**
 * Two bots on one data directory, each pid 1 of its own PID namespace — two containers sharing a volume. The second
 * must not start: a lock that compared pids only let both run, and each rewrote the datafiles from its own memory on
 * shutdown, so the first one's requests were gone.
 */
import { strict as assert } from 'node:assert';
import { openEmbeddedStore } from '../../src/adapters/store/embedded/embedded-store.js';
import { FakeBotConnector } from '../fakes/bot-connector.js';
import { canUnshare, startBot, type Running } from '../support/bot-process.js';
import { teamsFixture } from '../support/teams.js';
import { tempDir } from '../support/temp.js';

describe('crash: two bots in separate PID namespaces on one data directory', function () {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let connector: FakeBotConnector;
  const bots: Running[] = [];
  before(function () {
    // Containers without user namespaces for unprivileged users (some CI runners) cannot start one; the lock's rules
    // for other namespaces are covered without them in test/adapters/store/embedded-lock.test.ts.
    if (!canUnshare()) this.skip();
  });
  beforeEach(async () => {
    dir = await tempDir('prb-pidns-');
    connector = await FakeBotConnector.start();
  });
  afterEach(async () => {
    for (const bot of bots.splice(0)) {
      bot.kill('SIGKILL');
      await bot.exit;
    }
    await connector.close();
    await dir.remove();
  });

  it('the second bot, also pid 1, refuses to start; the first keeps every request', async () => {
    const env = { PORT: '0', DATA_DIR: dir.path, GDAP_ENABLED: 'false' };
    const first = startBot(dir.path, env, { ownPidNamespace: true });
    bots.push(first);
    const url = await first.ready;
    assert.equal(first.lines.find((l) => String(l['msg']).startsWith('Partner Relationship Bot'))?.['pid'], 1);
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...teamsFixture('personal-message', { serviceUrl: connector.url }),
        id: 'ns-1',
        text: 'request relationship Namespace Customer it@ns.example',
      }),
    });
    assert.equal(res.status, 200);

    const second = startBot(dir.path, env, { ownPidNamespace: true });
    bots.push(second);
    assert.equal(await second.exit, 1);
    assert.match(
      second.stderr.join('\n'),
      /^Start-up failed: DATA_DIR .* is in use by another bot process \(pid 1 in another container or PID namespace/,
    );

    first.kill('SIGTERM');
    assert.equal(await first.exit, 0);
    const store = await openEmbeddedStore(dir.path);
    const requests = await store.requests.list({ limit: 5 });
    await store.close();
    assert.deepEqual(
      requests.map((r) => r.customerName),
      ['Namespace Customer'],
    );
  });
});
