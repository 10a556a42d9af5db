import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { createScheduler } from '../src/scheduler.js';
import { ManualClock } from './support/core-harness.js';
import { captureLogger } from './support/logs.js';

describe('scheduler', () => {
  it('runs a job on its cron schedule (6 fields: every second), and nothing after stop', async () => {
    // node-cron's timers on sinon's clock: seconds pass when the test says so
    const timers = sinon.useFakeTimers({
      now: new Date('2026-11-25T10:00:00.500Z'),
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
    try {
      const logs = captureLogger();
      let runs = 0;
      const scheduler = createScheduler(
        [
          {
            name: 'tick',
            schedule: '* * * * * *',
            run: () => {
              runs++;
              return Promise.resolve();
            },
          },
        ],
        { logger: logs.logger, clock: new ManualClock() },
      );
      scheduler.start();
      await timers.tickAsync(3_000);
      assert.ok(runs >= 2 && runs <= 4, `${runs} runs in 3 s`);
      await scheduler.stop();
      const after = runs;
      await timers.tickAsync(5_000);
      assert.equal(runs, after, 'no run after stop');
    } finally {
      timers.restore();
    }
  });

  it('never overlaps a job with itself: a run asked for while one is going runs right after it, once', async () => {
    const logs = captureLogger();
    const releases: (() => void)[] = [];
    let started = 0;
    const scheduler = createScheduler(
      [
        {
          name: 'slow',
          schedule: '0 0 1 1 *',
          run: () => (started++, new Promise<void>((ok) => releases.push(ok))),
        },
      ],
      { logger: logs.logger, clock: new ManualClock() },
    );
    const first = scheduler.runNow('slow');
    const second = scheduler.runNow('slow');
    const third = scheduler.runNow('slow');
    await Promise.resolve();
    assert.equal(started, 1, 'not alongside the first');
    releases.shift()?.();
    assert.equal(await first, true);
    const runs = () => started;
    while (runs() < 2) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(runs(), 2, 'one more run for the two who asked meanwhile');
    releases.shift()?.();
    assert.deepEqual(await Promise.all([second, third]), [true, true]);
    assert.equal(started, 2);
  });

  it('skips a tick that finds the previous run still going', async () => {
    const timers = sinon.useFakeTimers({
      now: new Date('2026-11-25T10:00:00.500Z'),
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
    try {
      const logs = captureLogger();
      let release!: () => void;
      let started = 0;
      const scheduler = createScheduler(
        [
          {
            name: 'slow',
            schedule: '* * * * * *',
            run: () => (started++, new Promise<void>((ok) => (release = ok))),
          },
        ],
        { logger: logs.logger, clock: new ManualClock() },
      );
      scheduler.start();
      await timers.tickAsync(3_000);
      assert.equal(started, 1, 'ticks while the first run goes are skipped');
      assert.ok(logs.entries().some((e) => e.msg === 'job skipped: the previous run is still going'));
      release();
      await scheduler.stop();
    } finally {
      timers.restore();
    }
  });

  it('logs a failed run with the error and keeps going', async () => {
    const logs = captureLogger();
    let calls = 0;
    const scheduler = createScheduler(
      [
        {
          name: 'flaky',
          schedule: '0 0 1 1 *',
          run: () => (++calls === 1 ? Promise.reject(new Error('Partner Center 503')) : Promise.resolve()),
        },
      ],
      { logger: logs.logger, clock: new ManualClock() },
    );
    assert.equal(await scheduler.runNow('flaky'), true);
    assert.equal(await scheduler.runNow('flaky'), true);
    const failure = logs.entries().find((e) => e.msg.startsWith('job failed'));
    assert.ok(failure);
    assert.equal((failure['err'] as { message: string }).message, 'Partner Center 503');
    assert.equal(failure['job'], 'flaky');
  });

  it('waits for a running job when stopping, then runs nothing more', async () => {
    const logs = captureLogger();
    let finished = false;
    const scheduler = createScheduler(
      [
        {
          name: 'j',
          schedule: '0 0 1 1 *',
          run: () =>
            new Promise<void>((ok) => {
              setTimeout(() => {
                finished = true;
                ok();
              }, 100);
            }),
        },
      ],
      { logger: logs.logger, clock: new ManualClock() },
    );
    scheduler.start();
    const running = scheduler.runNow('j');
    await scheduler.stop();
    assert.equal(finished, true);
    await running;
    assert.equal(await scheduler.runNow('j'), false);
    await assert.rejects(scheduler.runNow('unknown'), /no job called unknown/);
  });
});
