import { strict as assert } from 'node:assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.js';
import { StorageUnavailableError } from '../../../src/core/errors.js';
import { newJob } from '../../../src/core/outbox/types.js';
import { request, storeContract } from '../../contract/store-contract.js';
import { tempDir } from '../../support/temp.js';

storeContract('embedded', async () => {
  const dir = await tempDir('prb-store-');
  const store = await openEmbeddedStore(dir.path);
  return {
    store,
    async dispose() {
      await store.close();
      await dir.remove();
    },
  };
});

describe('embedded store on disk', () => {
  it('keeps data across a restart (close, reopen the same DATA_DIR)', async () => {
    const dir = await tempDir();
    try {
      const first = await openEmbeddedStore(dir.path);
      await first.requests.insert(request('RR-00001'));
      await first.subscriptions.subscribe({
        platform: 'slack',
        scope: 'slack:T1',
        channelId: 'C1',
        createdBy: 'Ana',
        createdAt: '2026-11-23T10:00:00.000Z',
      });
      await first.close();

      const second = await openEmbeddedStore(dir.path);
      assert.deepEqual(await second.requests.get('RR-00001'), request('RR-00001'));
      assert.equal((await second.subscriptions.listActive()).length, 1);
      await second.close();
    } finally {
      await dir.remove();
    }
  });

  it('keeps data written without a clean close (process killed): the append log is replayed', async () => {
    const dir = await tempDir();
    try {
      const first = await openEmbeddedStore(dir.path);
      await first.requests.insert(request('RR-00001'));
      // no close(): simulate a crash by dropping the lock file a dead process would leave behind
      await writeFile(join(dir.path, 'bot.lock'), '999999');
      const second = await openEmbeddedStore(dir.path);
      assert.equal((await second.requests.get('RR-00001'))?.customerName, 'Contoso Ltd');
      await second.close();
      await first.close();
    } finally {
      await dir.remove();
    }
  });

  it('keeps jobs accepted into the intake journal but not yet in the outbox when the process dies', async () => {
    const dir = await tempDir();
    try {
      const first = await openEmbeddedStore(dir.path);
      const now = new Date('2026-11-25T10:00:00.000Z');
      await first.outbox.accept([newJob('card', 'accepted-1', { requestId: 'RR-1' }, now)], now);
      // no claim, no close: the job is only in the journal when the process "dies" (its lock left behind)
      await writeFile(join(dir.path, 'bot.lock'), '999999');
      const second = await openEmbeddedStore(dir.path);
      assert.equal((await second.outbox.get('card:accepted-1'))?.state, 'pending');
      assert.equal(
        await readFile(join(dir.path, 'intake.log'), 'utf8'),
        '',
        'the journal is emptied once in the outbox',
      );
      await second.close();
      await first.close();
    } finally {
      await dir.remove();
    }
  });

  it('refuses a DATA_DIR held by another live process, naming it and the way out', async () => {
    const dir = await tempDir();
    try {
      // pid 1 is always alive
      await writeFile(join(dir.path, 'bot.lock'), '1');
      await assert.rejects(openEmbeddedStore(dir.path), (err) => {
        assert.ok(err instanceof StorageUnavailableError);
        assert.match(err.message, /in use by another bot process \(pid 1\)/);
        assert.match(err.message, /MONGODB_URI/);
        return true;
      });
      assert.equal(await readFile(join(dir.path, 'bot.lock'), 'utf8'), '1', 'the other process keeps its lock');
    } finally {
      await dir.remove();
    }
  });

  it('fails with a clear reason when DATA_DIR cannot be created', async () => {
    const dir = await tempDir();
    try {
      await writeFile(join(dir.path, 'file'), 'x');
      await assert.rejects(openEmbeddedStore(join(dir.path, 'file', 'sub')), /Cannot create DATA_DIR/);
    } finally {
      await dir.remove();
    }
  });

  it('reports itself unavailable after close', async () => {
    const dir = await tempDir();
    const store = await openEmbeddedStore(dir.path);
    await store.close();
    await store.close();
    await assert.rejects(store.ping(), StorageUnavailableError);
    await dir.remove();
  });
});
