import type { JobClock } from '../../core/outbox/types.js';

/** Real time, and real timers that never keep the process alive. */
export const systemClock: JobClock = {
  now: () => new Date(),
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => {
      clearTimeout(timer);
    };
  },
};
