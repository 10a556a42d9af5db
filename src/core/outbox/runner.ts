/**
 * The job runner: claims due jobs from the store's outbox and runs each through its topic's handler (`topics.ts`).
 * Jobs of one lane run in order, lanes side by side, up to `batch` at a time; a lane that waits (pacing, a platform's
 * Retry-After) holds up no other. A failed job is retried with backoff (`retry.ts`) or given up and kept for operators.
 * All time comes from the one injected clock.
 */
import { RateLimitedError, UpstreamError } from '../errors.js';
import type { OutboxItem, StoredJob } from '../ports.js';
import { PLATFORM_WINDOWS, RateWindows, type PlatformWindows } from './pacing.js';
import { decideRetry, type RetryOptions } from './retry.js';
import type { JobHandlers, Topic } from './topics.js';
import { destinationKey, type Destination, type JobClock, type JobContext, type JobDeps } from './types.js';

export interface RunnerOptions extends RetryOptions {
  /** how often to look for due jobs when nothing kicked the runner */
  readonly pollMs: number;
  /** how long a claim lasts; a crashed runner's jobs are claimed again after this */
  readonly lockMs: number;
  /** jobs in flight at most */
  readonly batch: number;
  /** how many posts one destination may take in which time, per platform */
  readonly rateWindows: PlatformWindows;
}

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = {
  pollMs: 2_000,
  lockMs: 60_000,
  batch: 50,
  maxAttempts: 12,
  rateWindows: PLATFORM_WINDOWS,
  baseBackoffMs: 2_000,
  maxBackoffMs: 15 * 60_000,
};

/** Seams for fault injection: each is awaited at a fixed point of a job's life. */
export interface RunnerHooks {
  /** after the handler's effect, before the job is recorded as done (a crash here leaves the job in doubt) */
  beforeComplete?(key: string): Promise<void>;
}

export class JobRunner {
  private readonly options: RunnerOptions;
  private readonly clock: JobClock;
  private readonly windows: RateWindows;
  private readonly context: JobContext;
  private draining: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private cancelPoll: (() => void) | undefined;
  private wake: { cancel: () => void; at: number } | undefined;
  private readonly finishedListeners: ((key: string) => void)[] = [];
  private readonly retryingKeys = new Set<string>();

  constructor(
    private readonly handlers: JobHandlers,
    deps: JobDeps & { readonly clock: JobClock },
    /** this process's name on claims (unique per process) */
    readonly owner: string,
    options: Partial<RunnerOptions> = {},
    private readonly hooks: RunnerHooks = {},
  ) {
    this.options = { ...DEFAULT_RUNNER_OPTIONS, ...options };
    this.clock = deps.clock;
    this.windows = new RateWindows(this.options.rateWindows);
    this.context = { deps, paced: (destination, post) => this.paced(destination, post) };
  }

  start(): void {
    const poll = () => {
      this.cancelPoll = this.clock.after(this.options.pollMs, () => {
        this.kick();
        poll();
      });
    };
    poll();
    this.kick();
  }

  /** Be told when a job this runner ran is over for good (done, or given up). */
  onFinished(listener: (key: string) => void): void {
    this.finishedListeners.push(listener);
  }

  /** Look for due jobs now (after something was enqueued). */
  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Jobs this runner rescheduled after a failure that have not finished since (tests wait for 0). */
  get retrying(): number {
    return this.retryingKeys.size;
  }

  /** Resolves when nothing due is left (tests and shutdown wait on this). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Claim nothing more, and wait for the jobs in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelPoll?.();
    this.wake?.cancel();
    await this.idle();
  }

  /** Claim and run due jobs until none is left. A store that fails is logged; the next poll tries again. */
  async drain(): Promise<void> {
    const lanes = new Map<string, Promise<void>>();
    let inFlight = 0;
    try {
      while (!this.stopped) {
        const room = this.options.batch - inFlight;
        const jobs =
          room > 0 ? await this.outbox.claimDue(this.clock.now(), this.owner, this.options.lockMs, room) : [];
        if (jobs.length === 0) {
          if (lanes.size === 0) break;
          await Promise.race(lanes.values());
          continue;
        }
        for (const job of jobs) {
          const lane = this.laneOf(job);
          inFlight++;
          const queued: Promise<void> = (lanes.get(lane) ?? Promise.resolve())
            .then(() => (this.stopped ? undefined : this.process(job)))
            .finally(() => {
              inFlight--;
              if (lanes.get(lane) === queued) lanes.delete(lane);
            });
          lanes.set(lane, queued);
        }
      }
    } catch (err) {
      this.deps.logger[err instanceof UpstreamError ? 'warn' : 'error'](
        { err },
        'jobs: could not read due jobs; trying again at the next poll',
      );
    }
    await Promise.all(lanes.values());
  }

  private get deps(): JobDeps {
    return this.context.deps;
  }

  private get outbox() {
    return this.context.deps.store.outbox;
  }

  private laneOf(job: StoredJob): string {
    return this.laneFor(job) ?? job.key;
  }

  private laneFor<T extends Topic>(job: OutboxItem<T>): string | undefined {
    return this.known(job.topic) ? this.handlers[job.topic].lane?.(job.payload) : undefined;
  }

  private known(topic: string): boolean {
    return Object.hasOwn(this.handlers, topic);
  }

  private async process(job: StoredJob): Promise<void> {
    try {
      if (!this.known(job.topic)) throw new UnknownTopicError(job.topic);
      await this.run(job);
      await this.hooks.beforeComplete?.(job.key);
      await this.outbox.complete(job.key, this.owner, this.clock.now());
      this.finished(job.key);
    } catch (err) {
      await this.fail(job, err);
    }
  }

  private async run<T extends Topic>(job: OutboxItem<T>): Promise<void> {
    const handler = this.handlers[job.topic];
    await handler.run(
      {
        key: job.key,
        payload: job.payload,
        attempts: job.attempts,
        inDoubt: job.attempts - 1 > job.released,
        createdAt: job.createdAt,
      },
      this.context,
    );
  }

  /**
   * Run `post` when the destination's windows allow (per process); a refusal with Retry-After holds every post to
   * that destination until then.
   */
  private async paced<R>(destination: Destination, post: () => Promise<R>): Promise<R> {
    const key = destinationKey(destination);
    const now = () => this.clock.now().getTime();
    const bookedAt = this.windows.book(destination.platform, key, now());
    const wait = bookedAt - now();
    if (wait > 0) await new Promise<void>((resolve) => this.clock.after(wait, resolve));
    try {
      return await post();
    } catch (err) {
      if (err instanceof RateLimitedError && err.retryAfterSeconds !== undefined) {
        this.windows.hold(key, now() + err.retryAfterSeconds * 1000);
      }
      throw err;
    } finally {
      this.windows.finished(key, bookedAt, now());
    }
  }

  private finished(key: string): void {
    this.retryingKeys.delete(key);
    for (const listener of this.finishedListeners) listener(key);
  }

  /** Look again when a rescheduled job falls due, instead of at the next poll. */
  private wakeIn(ms: number): void {
    const at = this.clock.now().getTime() + ms;
    if (this.stopped || (this.wake && this.wake.at <= at)) return;
    this.wake?.cancel();
    const cancel = this.clock.after(ms, () => {
      this.wake = undefined;
      this.kick();
    });
    this.wake = { cancel, at };
  }

  private async fail(job: StoredJob, err: unknown): Promise<void> {
    const now = this.clock.now();
    const message = err instanceof Error ? err.message : String(err);
    const decision =
      err instanceof UnknownTopicError ? { kind: 'give-up' as const } : decideRetry(err, job.attempts, this.options);
    try {
      if (decision.kind === 'give-up') {
        this.deps.logger.error({ err, key: job.key, attempts: job.attempts }, 'jobs: giving up on a job');
        await this.outbox.kill(job.key, this.owner, message, now);
        this.finished(job.key);
        return;
      }
      this.deps.logger[decision.expected ? 'warn' : 'error'](
        { err, key: job.key, attempts: job.attempts, retryInMs: Math.round(decision.inMs) },
        'jobs: a job failed; retrying later',
      );
      await this.outbox.reschedule(job.key, this.owner, new Date(now.getTime() + decision.inMs), message);
      this.retryingKeys.add(job.key);
      this.wakeIn(decision.inMs);
    } catch (storeErr) {
      // The claim lapses and another pass retries the job.
      this.deps.logger.error({ err: storeErr, key: job.key }, 'jobs: could not record a failure');
    }
  }
}

class UnknownTopicError extends Error {
  constructor(topic: string) {
    super(`no handler for job topic "${topic}" (written by another version of the bot?)`);
  }
}
