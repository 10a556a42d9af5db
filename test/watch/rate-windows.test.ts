/** Posting under several sliding windows at once (Teams' documented per-thread limits) and holding on Retry-After. */
import { strict as assert } from 'node:assert';
import { PLATFORM_WINDOWS, RateWindows, type RateWindow } from '../../src/core/outbox/pacing.js';

/** The most posts any window of `ms` holds in a schedule. */
function busiest(times: readonly number[], ms: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('rate windows', () => {
  it("books 200 Teams posts asked for at once inside every one of Teams' windows, each as early as they allow", () => {
    const limits = new RateWindows(PLATFORM_WINDOWS);
    const times = Array.from({ length: 200 }, () => limits.book('teams', 'teams:19:a@thread.tacv2', 0));
    for (const window of PLATFORM_WINDOWS.teams) {
      assert.ok(busiest(times, window.ms) <= window.count, `${window.count} per ${window.ms} ms`);
    }
    // 7 at once, the 8th a second later, then 8 per 2 s until 60 in 30 s, then wait for the 30 s window
    assert.deepEqual(times.slice(0, 10), [0, 0, 0, 0, 0, 0, 0, 1025, 2025, 2025]);
    assert.equal(times.filter((t) => t < 30_000).length, 60);
    assert.equal(times[60], 30_025);
    assert.deepEqual(
      [...times].sort((a, b) => a - b),
      times,
      'in booking order',
    );
  });

  it('keeps channels apart and never books before now', () => {
    const windows: Record<'teams' | 'slack', readonly RateWindow[]> = {
      teams: [{ count: 1, ms: 100 }],
      slack: [{ count: 1, ms: 1_000 }],
    };
    const limits = new RateWindows(windows);
    assert.equal(limits.book('slack', 'slack:C1', 5_000), 5_000);
    assert.equal(limits.book('slack', 'slack:C2', 5_000), 5_000);
    assert.equal(limits.book('slack', 'slack:C1', 5_000), 6_025);
    assert.equal(limits.book('slack', 'slack:C1', 9_000), 9_000);
  });

  it("holds a channel until the platform's Retry-After, and only that channel", () => {
    const limits = new RateWindows(PLATFORM_WINDOWS);
    limits.book('teams', 'teams:a', 0);
    limits.hold('teams:a', 3_000);
    limits.hold('teams:a', 2_000); // an earlier end does not shorten it
    assert.equal(limits.book('teams', 'teams:a', 100), 3_000);
    assert.equal(limits.book('teams', 'teams:b', 100), 100);
  });

  it('counts a post from when it finished when the platform took it later than booked', () => {
    const limits = new RateWindows({ teams: [{ count: 2, ms: 1_000 }], slack: [] });
    const first = limits.book('teams', 'teams:a', 0);
    const second = limits.book('teams', 'teams:a', 0);
    // the client waited out a Retry-After of 1 s inside the second post
    limits.finished('teams:a', second, 1_010);
    limits.finished('teams:a', first, 5);
    assert.equal(limits.book('teams', 'teams:a', 1_010), 1_030, 'two posts in a second, counted from 5 and 1,010 ms');
    assert.equal(limits.book('teams', 'teams:a', 1_030), 2_035);
  });

  it('forgets channels idle for longer than the longest window', () => {
    const limits = new RateWindows({ teams: [{ count: 1, ms: 1_000 }], slack: [] });
    for (let i = 0; i < 1_001; i++) limits.book('teams', `teams:${i}`, 0);
    assert.equal(limits.tracked, 1_001);
    // a channel posted to an hour and more later makes the limiter forget the idle ones
    limits.book('teams', 'teams:late', 4_000_000);
    limits.book('teams', 'teams:later', 4_000_000);
    assert.equal(limits.tracked, 2);
    assert.equal(limits.book('teams', 'teams:0', 4_000_000), 4_000_000);
  });
});
