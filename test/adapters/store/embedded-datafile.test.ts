/**
 * Datafiles with lines that cannot be read: nothing is dropped silently, nothing is erased. The readable records are
 * there, the unreadable lines are counted in one error line with their numbers, and the file as it was is kept beside
 * it — also after the compaction that follows. A half-written last line (a crash during a write) is left out quietly.
 */
import { strict as assert } from 'node:assert';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.js';
import { toRequestDoc } from '../../../src/adapters/store/documents.js';
import { request } from '../../contract/store-contract.js';
import { captureLogger } from '../../support/logs.js';
import { tempDir } from '../../support/temp.js';

type Dir = Awaited<ReturnType<typeof tempDir>>;

/** requests.db as nedb writes it: one JSON document per line. */
function line(id: string): string {
  return JSON.stringify(toRequestDoc(request(id)));
}

async function open(dir: Dir, content: string) {
  await writeFile(join(dir.path, 'requests.db'), content);
  const logs = captureLogger();
  const store = await openEmbeddedStore(dir.path, { logger: logs.logger });
  return { store, logs };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `RR-${String(i + 1).padStart(5, '0')}`);

describe('embedded store: datafiles with unreadable lines', () => {
  let dir: Dir;
  beforeEach(async () => {
    dir = await tempDir('prb-datafile-');
  });
  afterEach(async () => {
    await dir.remove();
  });

  for (const bad of [1, 8, 10]) {
    it(`${bad} unreadable line(s) of 20: the rest are there, one error names the lines, the original is kept`, async () => {
      const all = ids(20);
      const lines = all.map((id, i) => (i % 2 === 1 && i / 2 < bad ? `{"_id":"${id}","customerName":` : line(id)));
      const { store, logs } = await open(dir, `${lines.join('\n')}\n`);
      try {
        const errors = logs.entries().filter((e) => e.level === 50);
        assert.equal(errors.length, 1, JSON.stringify(errors));
        const expected = Array.from({ length: bad }, (_, k) => 2 * k + 2);
        assert.match(
          errors[0]?.msg ?? '',
          new RegExp(`${bad} unreadable line\\(s\\) left out \\(line ${expected.join(', ')}\\)`),
        );
        assert.equal(await store.requests.count({}), 20 - bad);
        for (const [i, id] of all.entries()) {
          if (i % 2 === 0 || i / 2 >= bad) assert.ok(await store.requests.get(id), `${id} is there`);
        }
      } finally {
        await store.close(); // compacts requests.db
      }
      const files = await readdir(dir.path);
      const kept = files.find((f) => f.startsWith('requests.db.unreadable-'));
      assert.ok(kept, `a copy beside it: ${files.join(', ')}`);
      const original = await readFile(join(dir.path, kept), 'utf8');
      assert.equal(
        (original.match(/"customerName":\n/g) ?? []).length,
        bad,
        'the unreadable lines are kept as they were',
      );
    });
  }

  it('a block of zero bytes: taken out, the records around it (and glued to it) are there, and it is reported', async () => {
    const zeros = '\0'.repeat(4096);
    const { store, logs } = await open(
      dir,
      `${line('RR-00001')}\n${zeros}\n${zeros}${line('RR-00002')}\n${line('RR-00003')}\n`,
    );
    try {
      assert.equal(await store.requests.count({}), 3);
      const error = logs.entries().find((e) => e.level === 50);
      assert.match(error?.msg ?? '', /8192 zero byte\(s\) taken out/);
      assert.match(error?.msg ?? '', /the file as it was is kept at .*requests\.db\.unreadable-/);
    } finally {
      await store.close();
    }
  });

  it('a half-written last line (a crash during a write) is left out quietly', async () => {
    const torn = line('RR-00003').slice(0, 40);
    const { store, logs } = await open(dir, `${line('RR-00001')}\n${line('RR-00002')}\n${torn}`);
    try {
      assert.equal(await store.requests.count({}), 2);
      assert.deepEqual(
        logs.entries().filter((e) => e.level >= 40),
        [],
        'no warning or error: that write never finished, so it was never acknowledged',
      );
      assert.ok(
        logs.entries().some((e) => /half-written last line left out/.test(e.msg)),
        'an info line says so',
      );
    } finally {
      await store.close();
    }
    assert.deepEqual(
      (await readdir(dir.path)).filter((f) => f.includes('unreadable')),
      [],
    );
  });
});
