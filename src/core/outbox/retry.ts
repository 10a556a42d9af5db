/** What a failed job does next: retried later (backoff, or the platform's Retry-After), or given up for good. */
import { NotFoundError, RateLimitedError, UpstreamError } from '../errors.js';

export interface RetryOptions {
  readonly maxAttempts: number;
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
}

export type RetryDecision =
  | { readonly kind: 'give-up' }
  /** `expected`: the weather (a remote service or throttling), logged as a warning; otherwise a bug (an error) */
  | { readonly kind: 'retry'; readonly inMs: number; readonly expected: boolean };

/**
 * Not found and non-retryable upstream answers fail the same way every time; anything else is tried again until
 * `maxAttempts`. `random` is injectable so tests can pin the jitter.
 */
export function decideRetry(
  err: unknown,
  attempts: number,
  options: RetryOptions,
  random = Math.random,
): RetryDecision {
  const permanent = err instanceof NotFoundError || (err instanceof UpstreamError && !err.retryable);
  if (permanent || attempts >= options.maxAttempts) return { kind: 'give-up' };
  if (err instanceof RateLimitedError && err.retryAfterSeconds !== undefined) {
    return { kind: 'retry', inMs: err.retryAfterSeconds * 1000 + random() * 250, expected: true };
  }
  return {
    kind: 'retry',
    inMs: backoff(attempts, options, random),
    expected: err instanceof UpstreamError || err instanceof RateLimitedError,
  };
}

/** Exponential with jitter in its upper half: base·2^(n-1), capped, times 0.5–1. */
export function backoff(
  attempt: number,
  options: Pick<RetryOptions, 'baseBackoffMs' | 'maxBackoffMs'>,
  random = Math.random,
): number {
  const ceiling = Math.min(options.maxBackoffMs, options.baseBackoffMs * 2 ** Math.max(0, attempt - 1));
  return ceiling * (0.5 + random() / 2);
}
