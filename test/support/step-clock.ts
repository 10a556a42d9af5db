import type { JobClock } from '../../src/core/outbox/types.js';
import { T0 } from './core-harness.js';

/**
 * A clock whose time and timers move only when the test says so: `advance(ms)` moves the time and fires every timer
 * that fell due, in order. Tests of pacing and retries assert on this time, never on the wall clock.
 */
export class StepClock implements JobClock {
  private time: number;
  private readonly timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;

  constructor(start = T0.getTime()) {
    this.time = start;
  }

  now(): Date {
    return new Date(this.time);
  }

  /** milliseconds since the clock started */
  get elapsed(): number {
    return this.time - T0.getTime();
  }

  after(ms: number, fn: () => void): () => void {
    const id = ++this.ids;
    this.timers.push({ at: this.time + Math.max(0, ms), fn, id });
    return () => {
      const i = this.timers.findIndex((t) => t.id === id);
      if (i >= 0) this.timers.splice(i, 1);
    };
  }

  /** Timers waiting, for a test that must know the code under test is now waiting on this clock. */
  get pending(): number {
    return this.timers.length;
  }

  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.time = until;
  }
}
