/**
 * The work Slack has already been answered for (after `ack()`): run with bounded concurrency, queued up to a limit.
 * Without it every acknowledged command starts at once; under a burst they all crawl together, none finishing, memory
 * growing with each (the Slack benchmark showed 13,500 acknowledged commands and 3 cards after 9 s). With it, commands
 * finish in arrival order at the store's pace, and beyond the limit a command is told at once that the bot is busy
 * instead of being accepted and left waiting.
 */
import type { Logger } from '../../core/ports.js';

export const BACKLOG_CONCURRENCY = 8;
export const BACKLOG_LIMIT = 1_000;
/** A flood is logged once per this many milliseconds, with a count, not once per refused command. */
export const REFUSALS_LOG_EVERY_MS = 10_000;

export class Backlog {
  private running = 0;
  private readonly waiting: (() => Promise<void>)[] = [];
  private readonly emptied = new Set<() => void>();
  private refused = 0;
  private lastRefusalLog = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logger: Logger,
    private readonly concurrency = BACKLOG_CONCURRENCY,
    private readonly limit = BACKLOG_LIMIT,
  ) {}

  /** Whether another task would be refused now (check before acknowledging, to answer "busy" instead). */
  get full(): boolean {
    return this.running >= this.concurrency && this.waiting.length >= this.limit;
  }

  get size(): number {
    return this.running + this.waiting.length;
  }

  /** Run `task` when a slot is free; false, and nothing queued, when the backlog is full. */
  offer(task: () => Promise<void>): boolean {
    if (this.running < this.concurrency) {
      this.start(task);
      return true;
    }
    if (this.waiting.length >= this.limit) return false;
    this.waiting.push(task);
    return true;
  }

  /** Count work answered "busy"; logged at most once per 10 s with the count since the last line. */
  noteRefused(now = Date.now()): void {
    this.refused++;
    if (now - this.lastRefusalLog < REFUSALS_LOG_EVERY_MS) return;
    this.logger.warn(
      { refused: this.refused, running: this.running, waiting: this.waiting.length },
      'Slack work refused: the bot is busy (count since the last such line)',
    );
    this.refused = 0;
    this.lastRefusalLog = now;
  }

  /** Resolves when nothing is running or waiting (shutdown). */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptied.add(resolve));
  }

  private start(task: () => Promise<void>): void {
    this.running++;
    void task()
      .catch((err: unknown) => {
        // Handlers turn expected failures into replies; what arrives here is a bug.
        this.logger.error({ err }, 'Slack work after the acknowledgement failed');
      })
      .finally(() => {
        this.running--;
        const next = this.waiting.shift();
        if (next) this.start(next);
        else if (this.running === 0) {
          for (const resolve of this.emptied) resolve();
          this.emptied.clear();
        }
      });
  }
}
