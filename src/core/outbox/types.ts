/**
 * The job queue's vocabulary (glossary):
 * - job: one durable piece of work in the store's outbox, named by a unique `key` (enqueueing a key twice stores it
 *   once) and a `topic` that says which handler runs it and what its payload is (`JobTopics`, in `topics.ts`).
 * - claim: a runner takes a due job for `lockMs`; a job whose claim lapsed (its process died) is claimed again, with
 *   `inDoubt` set, so its handler can check whether its side effect already happened.
 * - lane: jobs with the same lane run one after another (a channel's posts keep their order); lanes run side by side.
 * - pacing: posts to one chat destination are spaced under the platform's rate windows (`pacing.ts`).
 * Handlers must be idempotent: a crash between a handler's effect and the job's completion runs it again.
 */
import type { Platform } from '../model.js';
import type { ChannelNotifier, Clock } from '../ports.js';
import type { CoreDeps } from '../commands/types.js';
import type { JobTopics, Topic } from './topics.js';

/** The runner's one source of time: what time it is, and waiting (timers never keep the process alive). */
export interface JobClock extends Clock {
  /** call `fn` once after `ms`; the returned function cancels it */
  after(ms: number, fn: () => void): () => void;
}

/** What handlers may use: the core's dependencies, and a way to reach each chat platform. */
export interface JobDeps extends CoreDeps {
  readonly notifiers: readonly ChannelNotifier[];
}

/** A chat destination whose posts are paced together. */
export interface Destination {
  readonly platform: Platform;
  readonly channelId: string;
}

/** One claimed job, as its handler sees it. */
export interface Job<P> {
  readonly key: string;
  readonly payload: P;
  /** claims so far, this one included */
  readonly attempts: number;
  /** an earlier claim never finished (its process died): its effect may or may not have happened */
  readonly inDoubt: boolean;
  readonly createdAt: Date;
}

export interface JobContext {
  readonly deps: JobDeps;
  /** Run `post` when the destination's platform windows allow; a Retry-After it throws holds the destination. */
  readonly paced: <R>(destination: Destination, post: () => Promise<R>) => Promise<R>;
}

export interface JobHandler<P> {
  /** jobs with the same lane run in order, one at a time; default: each job is its own lane */
  lane?(payload: P): string;
  run(job: Job<P>, context: JobContext): Promise<void>;
}

/** A handler with its payload type spelled once; `topics.ts` lists them. */
export function defineJob<P>(handler: JobHandler<P>): JobHandler<P> {
  return handler;
}

export function destinationKey(destination: Destination): string {
  return `${destination.platform}:${destination.channelId}`;
}

/** A job to enqueue. */
export interface NewJob<T extends Topic = Topic> {
  readonly key: string;
  readonly topic: T;
  readonly payload: JobTopics[T];
  readonly dueAt: Date;
}

/** A job of `topic` whose key is `<topic>:<id>`, so keys of different topics never collide. */
export function newJob<T extends Topic>(topic: T, id: string, payload: JobTopics[T], dueAt: Date): NewJob<T> {
  return { key: `${topic}:${id}`, topic, payload, dueAt };
}
