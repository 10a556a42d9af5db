/**
 * 10,000 unsigned webhooks (a made-up RSA-sized signature) whose certificate URLs differ only by a fragment or a query
 * string, against the real bot process: each is refused with 401 before anything is fetched, and the bot's memory
 * does not grow with them (it grew by 245 MB for 9,000 when every distinct URL was fetched and kept). The bot runs
 * with its old space capped at 160 MB (room for coverage instrumentation, which needs ~65 MB at start): the collector
 * then works within it (uncapped, garbage not yet collected moved RSS by up to 125 MB on a busy machine and failed
 * this test once in a soak), and anything kept per URL exhausts the heap and ends the process before 10,000 (a
 * simulated 27 KB-per-URL leak does).
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { CERTIFICATE_FILE } from '../../src/emulator/webhooks.js';
import { rssOf, startBot, type Running } from '../support/bot-process.js';
import { tempDir } from '../support/temp.js';

const WEBHOOKS = 10_000;
const AT_ONCE = 16;

describe('hardening: a flood of unsigned webhooks with distinct certificate URLs', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let bot: Running | undefined;
  afterEach(async () => {
    bot?.child.kill('SIGKILL');
    if (bot) await bot.exit;
    await dir.remove();
  });

  it('refuses every one with 401 without fetching, and the process does not grow with them', async () => {
    dir = await tempDir('prb-flood-');
    bot = startBot(dir.path, { PORT: '0', NODE_OPTIONS: '--max-old-space-size=160' });
    const url = await bot.ready;
    const pid = bot.child.pid ?? 0;
    const body = '{"EventName":"reseller-relationship-accepted-by-customer","ResourceUri":"x"}';
    const send = async (i: number) => {
      const tail = i % 2 === 0 ? `#f${i}` : `?q=${i}`;
      const res = await fetch(`${url}/api/partner-center/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Signature ${randomBytes(256).toString('base64')}`,
          'x-ms-signature-algorithm': 'rsa-sha256',
          'x-ms-certificate-url': `${url}/emulator/certs/${CERTIFICATE_FILE}${tail}`,
        },
        body,
      });
      await res.arrayBuffer();
      return res.status;
    };
    const statuses: Record<number, number> = {};
    const flood = async (from: number, to: number) => {
      let next = from;
      await Promise.all(
        Array.from({ length: AT_ONCE }, async () => {
          while (next < to) {
            const status = await send(next++);
            statuses[status] = (statuses[status] ?? 0) + 1;
          }
        }),
      );
    };
    await flood(0, 500); // warm up: the server's own buffers and caches, before measuring
    const before = rssOf(pid);
    await flood(500, WEBHOOKS);
    const after = rssOf(pid);
    const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
    // eslint-disable-next-line no-console -- the figures are what this test reports
    console.log(
      `      RSS before ${mb(before)} MB, after ${WEBHOOKS.toLocaleString('en-US')} webhooks ${mb(after)} MB ` +
        `(${mb(after - before) >= 0 ? '+' : ''}${mb(after - before)} MB); answers ${JSON.stringify(statuses)}`,
    );
    assert.deepEqual(statuses, { 401: WEBHOOKS });
    assert.ok(after - before < 96 * 1024 * 1024, `grew by ${mb(after - before)} MB`);
  });
});
