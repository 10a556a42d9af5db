/** Reading pages ahead of the consumer: sequential calls, bounded, in order, failures where they happen. */
import { strict as assert } from 'node:assert';
import { readAhead } from '../../src/core/watch/read-ahead.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A paged source that records how many pages were asked for and whether two calls ever overlapped. */
function pages(count: number, failAt?: number) {
  const log = { asked: 0, running: 0, overlapped: false, closed: false };
  async function* source() {
    try {
      for (let i = 0; i < count; i++) {
        log.asked++;
        log.running++;
        if (log.running > 1) log.overlapped = true;
        await tick();
        log.running--;
        if (i === failAt) throw new Error(`page ${i} failed`);
        yield i;
      }
    } finally {
      log.closed = true;
    }
  }
  return { log, source: source() };
}

describe('read ahead', () => {
  it('keeps fetching while the consumer is busy, up to the depth, one call at a time, in order', async () => {
    const { log, source } = pages(10);
    const seen: number[] = [];
    for await (const page of readAhead(source, 3)) {
      seen.push(page);
      if (page === 0) {
        for (let i = 0; i < 20; i++) await tick(); // the consumer is busy with the first page
        assert.equal(log.asked, 4, 'the first page and three ahead, no more');
      }
    }
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(log.overlapped, false);
  });

  it('hands over the pages before a failure, then the failure', async () => {
    const { source } = pages(10, 4);
    const seen: number[] = [];
    await assert.rejects(async () => {
      for await (const page of readAhead(source, 5)) seen.push(page);
    }, /page 4 failed/);
    assert.deepEqual(seen, [0, 1, 2, 3]);
  });

  it('closes the source when the consumer stops early', async () => {
    const { log, source } = pages(10);
    for await (const page of readAhead(source, 2)) if (page === 1) break;
    assert.equal(log.closed, true);
  });
});
