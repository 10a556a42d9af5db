/**
 * DATA_DIR is held by one process, whatever the process ids say: a lock from another PID namespace (another container
 * on the same volume, where both bots may be pid 1) or another host is honoured while its heartbeat is fresh and
 * taken over once it is stale; a holder whose lock was taken stops writing.
 */
import { strict as assert } from 'node:assert';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.js';
import { lockDataDir, thisProcess } from '../../../src/adapters/store/embedded/lock.js';
import { StorageUnavailableError } from '../../../src/core/errors.js';
import { request } from '../../contract/store-contract.js';
import { tempDir } from '../../support/temp.js';

type Dir = Awaited<ReturnType<typeof tempDir>>;

/** A lock written by a bot in another PID namespace on this host, as pid 1, its heartbeat `ageMs` old. */
async function otherNamespaceLock(dir: Dir, ageMs: number): Promise<string> {
  const file = join(dir.path, 'bot.lock');
  const me = thisProcess();
  const other = {
    ...me,
    pidNamespace: 'pid:[4026539999]',
    pid: 1,
    owner: 'other-bot',
    startedAt: new Date().toISOString(),
  };
  await writeFile(file, JSON.stringify(other));
  const at = new Date(Date.now() - ageMs);
  await utimes(file, at, at);
  return file;
}

describe('embedded store: one process per DATA_DIR, across PID namespaces and hosts', () => {
  let dir: Dir;
  beforeEach(async () => {
    dir = await tempDir('prb-lock-');
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('refuses a DATA_DIR held by a bot in another PID namespace whose heartbeat is fresh (both may be pid 1)', async () => {
    const file = await otherNamespaceLock(dir, 5_000);
    await assert.rejects(openEmbeddedStore(dir.path), (err) => {
      assert.ok(err instanceof StorageUnavailableError);
      assert.match(err.message, /in use by another bot process \(pid 1 in another container or PID namespace/);
      assert.match(err.message, /start again once its heartbeat is over 30 s old/);
      return true;
    });
    assert.match(await readFile(file, 'utf8'), /other-bot/, 'the holder keeps its lock');
  });

  it('takes over a lock from another namespace or host once its heartbeat is stale', async () => {
    await otherNamespaceLock(dir, 31_000);
    const store = await openEmbeddedStore(dir.path);
    assert.match(await readFile(join(dir.path, 'bot.lock'), 'utf8'), new RegExp(`"pid":${process.pid}`));
    await store.close();
  });

  it('a holder whose lock was taken over stops writing, reports not ready, and does not rewrite the files', async () => {
    const first = await openEmbeddedStore(dir.path);
    await first.requests.insert(request('RR-00001'));
    // another process decided the lock was stale (this one stalled) and took it
    await otherNamespaceLock(dir, 0);
    const second = await lockDataDir(dir.path, { staleAfterMs: 60_000 }).catch((err: unknown) => err);
    assert.ok(second instanceof StorageUnavailableError, 'the other holder is fresh now');
    await assert.rejects(first.ping(), /taken over by another process/);
    await assert.rejects(first.requests.insert(request('RR-00002')), StorageUnavailableError, 'no more writes');
    await first.close();
    assert.match(await readFile(join(dir.path, 'bot.lock'), 'utf8'), /other-bot/, 'its lock is left alone');
  });

  it('two stores racing for a stale lock: exactly one gets it', async () => {
    await otherNamespaceLock(dir, 60_000);
    const results = await Promise.allSettled([lockDataDir(dir.path), lockDataDir(dir.path), lockDataDir(dir.path)]);
    const held = results.filter((r) => r.status === 'fulfilled');
    assert.equal(held.length, 1, JSON.stringify(results.map((r) => r.status)));
    for (const r of held) await r.value.release();
  });
});
