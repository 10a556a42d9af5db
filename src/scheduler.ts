/**
 * Maps cron expressions to core jobs. Policy lives here: a job never overlaps itself (a tick that finds the previous
 * run still going is skipped; a run asked for meanwhile follows it), a failing run is logged and simply tried again at
 * the next tick, and `stop` waits for running jobs before the store closes.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { RateLimitedError, UpstreamError } from './core/errors.js';
import type { Clock, Logger } from './core/ports.js';

export interface Job {
  readonly name: string;
  readonly schedule: string;
  run(now: Date): Promise<void>;
}

export interface Scheduler {
  start(): void;
  /**
   * Run a job now. While a run is going (a tick's, say) it runs right after that one, so what the caller changed
   * before asking is always seen; callers asking meanwhile share that next run. Resolves false only once stopped.
   */
  runNow(name: string): Promise<boolean>;
  stop(): Promise<void>;
}

export function createScheduler(jobs: readonly Job[], deps: { logger: Logger; clock: Clock }): Scheduler {
  const running = new Map<string, Promise<void>>();
  const following = new Map<string, Promise<boolean>>();
  const tasks: ScheduledTask[] = [];
  let stopped = false;

  const runGuarded = async (job: Job): Promise<boolean> => {
    if (stopped) return false;
    const current = running.get(job.name);
    if (current) {
      deps.logger.info({ job: job.name }, 'job skipped: the previous run is still going');
      return false;
    }
    const run = (async () => {
      const started = deps.clock.now();
      try {
        await job.run(started);
        deps.logger.debug({ job: job.name, ms: deps.clock.now().getTime() - started.getTime() }, 'job finished');
      } catch (err) {
        // The job's own state stays consistent (docs/partner-center.md); the next tick tries again. A remote service or the store
        // being unavailable is expected weather (warn); anything else is a bug (error).
        deps.logger[err instanceof UpstreamError || err instanceof RateLimitedError ? 'warn' : 'error'](
          { err, job: job.name },
          'job failed; it will run again at its next scheduled time',
        );
      }
    })();
    running.set(job.name, run);
    try {
      await run;
    } finally {
      running.delete(job.name);
    }
    return true;
  };

  /** After the run in flight: that run may have been followed by another caller's already. */
  const runNow = async (job: Job): Promise<boolean> => {
    for (;;) {
      const current = running.get(job.name);
      if (!current) return runGuarded(job);
      await current;
      if (stopped) return false;
    }
  };

  return {
    start() {
      for (const job of jobs) {
        const task = cron.createTask(job.schedule, () => runGuarded(job), { name: job.name });
        void task.start();
        tasks.push(task);
      }
    },
    runNow(name) {
      const job = jobs.find((j) => j.name === name);
      if (!job) return Promise.reject(new Error(`no job called ${name}`));
      const current = running.get(name);
      if (!current) return runGuarded(job);
      let next = following.get(name);
      if (!next) {
        next = current.then(() => {
          following.delete(name);
          return runNow(job);
        });
        following.set(name, next);
      }
      return next;
    },
    async stop() {
      stopped = true;
      for (const task of tasks) await task.destroy();
      await Promise.all(running.values());
    },
  };
}
