import { strict as assert } from 'node:assert';
import { housekeeping, KEEP_FINISHED_MS } from '../../src/core/jobs/housekeeping.js';
import { newJob } from '../../src/core/outbox/types.js';
import { coreHarness, T0 } from '../support/core-harness.js';

describe('housekeeping job', () => {
  it('purges expired dedupe records and outbox items finished more than a week ago', async () => {
    const h = await coreHarness();
    try {
      const now = new Date(T0.getTime() + KEEP_FINISHED_MS + 60_000);
      await h.store.dedupe.firstSeen('old-event', new Date(T0.getTime() + 1000), T0);
      await h.store.outbox.enqueue([newJob('card', 'done', { requestId: 'RR-1' }, T0)], T0);
      await h.store.outbox.claimDue(T0, 'w', 1000, 1);
      await h.store.outbox.complete('card:done', 'w', T0);
      await housekeeping(h.deps, now);
      assert.equal(await h.store.outbox.get('card:done'), undefined);
      assert.equal(await h.store.dedupe.firstSeen('old-event', new Date(now.getTime() + 1000), now), true);
      assert.deepEqual(h.logs.entries().find((e) => e.msg === 'housekeeping done')?.['removed'], 2);
    } finally {
      await h.close();
    }
  });
});
