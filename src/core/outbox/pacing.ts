/**
 * Posting under a platform's per-conversation limits, which come as several sliding windows at once: Teams allows a
 * bot 7 posts in any 1 s, 8 in any 2 s, 60 in any 30 s and 1,800 in any hour per thread (docs/platforms.md#teams), so
 * a steady "7 per second" breaks the 2-second window by the third second. Slack allows about 1 per second per channel
 * (docs/platforms.md#slack). Each post takes the earliest moment every window allows; a platform's Retry-After holds
 * the whole conversation until then, not just the post it refused.
 */
import type { Platform } from '../model.js';

/** At most `count` posts in any `ms` milliseconds. */
export interface RateWindow {
  readonly count: number;
  readonly ms: number;
}

export type PlatformWindows = Readonly<Record<Platform, readonly RateWindow[]>>;

export const PLATFORM_WINDOWS: PlatformWindows = {
  teams: [
    { count: 7, ms: 1_000 },
    { count: 8, ms: 2_000 },
    { count: 60, ms: 30_000 },
    { count: 1_800, ms: 3_600_000 },
  ],
  slack: [{ count: 1, ms: 1_000 }],
};

/** Added to every window: our clock starts a post a little before the platform counts it. */
const MARGIN_MS = 25;
/** Conversations not posted to for this long are forgotten (longer than any window). */
const FORGET_AFTER_MS = 3_600_000 + MARGIN_MS;

export class RateWindows {
  /** per conversation, the start times of its recent posts, oldest first, at most the largest window's count */
  private readonly posts = new Map<string, number[]>();
  private readonly heldUntil = new Map<string, number>();

  constructor(private readonly windows: PlatformWindows) {}

  /** Book the next post to `key` and say when it may start (never before `now`). */
  book(platform: Platform, key: string, now: number): number {
    const windows = this.windows[platform];
    const times = this.posts.get(key) ?? [];
    let at = Math.max(now, this.heldUntil.get(key) ?? 0);
    let keep = 0;
    for (const window of windows) {
      keep = Math.max(keep, window.count);
      const nth = times[times.length - window.count];
      if (nth !== undefined) at = Math.max(at, nth + window.ms + MARGIN_MS);
    }
    times.push(at);
    if (times.length > keep) times.splice(0, times.length - keep);
    this.posts.set(key, times);
    if (this.posts.size > 1_000) this.forget(now);
    return at;
  }

  /**
   * The post booked for `bookedAt` finished at `finishedAt`: count it from then, since the platform may have taken it
   * later than booked (its client waits out a Retry-After and tries again within one call).
   */
  finished(key: string, bookedAt: number, finishedAt: number): void {
    const times = this.posts.get(key);
    const i = times?.lastIndexOf(bookedAt) ?? -1;
    if (!times || i < 0) return;
    times.splice(i, 1);
    let j = times.length;
    while (j > 0 && (times[j - 1] ?? 0) > finishedAt) j--;
    times.splice(j, 0, finishedAt);
  }

  /** How many conversations are remembered (bounded: idle ones are forgotten). */
  get tracked(): number {
    return this.posts.size;
  }

  /** The platform said "retry after": no post to `key` starts before `until`. */
  hold(key: string, until: number): void {
    this.heldUntil.set(key, Math.max(until, this.heldUntil.get(key) ?? 0));
  }

  private forget(now: number): void {
    for (const [key, times] of this.posts) {
      if ((times.at(-1) ?? 0) < now - FORGET_AFTER_MS) this.posts.delete(key);
    }
    for (const [key, until] of this.heldUntil) if (until < now) this.heldUntil.delete(key);
  }
}
