/**
 * The bound on work Slack was answered for: every acknowledged command, click or form is a job in the store first
 * (nothing is lost in a crash), and this counts the ones this process accepted that have not finished. Past the limit
 * a command is told at once that the bot is busy instead of being accepted and left waiting; a flood is logged once
 * per 10 s with a count. Entries older than `forgetAfterMs` are dropped (another instance may have finished them).
 */
import type { Logger } from '../../core/ports.js';

export const INTAKE_LIMIT = 1_000;
/** A flood is logged once per this many milliseconds, with a count, not once per refused command. */
export const REFUSALS_LOG_EVERY_MS = 10_000;
const FORGET_AFTER_MS = 10 * 60_000;

export class Intake {
  /** job key → when it was accepted */
  private readonly open = new Map<string, number>();
  private refused = 0;
  private lastRefusalLog = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logger: Logger,
    private readonly limit = INTAKE_LIMIT,
    private readonly now: () => number = Date.now,
    private readonly forgetAfterMs = FORGET_AFTER_MS,
  ) {}

  /** Whether another job would be refused now (checked before acknowledging, to answer "busy" instead). */
  get full(): boolean {
    if (this.open.size < this.limit) return false;
    const cutoff = this.now() - this.forgetAfterMs;
    for (const [key, at] of this.open) {
      if (at > cutoff) break; // oldest first: the rest are younger
      this.open.delete(key);
    }
    return this.open.size >= this.limit;
  }

  get size(): number {
    return this.open.size;
  }

  accepted(key: string): void {
    this.open.set(key, this.now());
  }

  /** The job ran to its end (done, or given up). Keys of other processes' jobs are ignored. */
  finished(key: string): void {
    this.open.delete(key);
  }

  /** Count work answered "busy"; logged at most once per 10 s with the count since the last line. */
  noteRefused(): void {
    this.refused++;
    const now = this.now();
    if (now - this.lastRefusalLog < REFUSALS_LOG_EVERY_MS) return;
    this.logger.warn(
      { refused: this.refused, open: this.open.size },
      'Slack work refused: the bot is busy (count since the last such line)',
    );
    this.refused = 0;
    this.lastRefusalLog = now;
  }
}
