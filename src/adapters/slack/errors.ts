/** Slack Web API failures as core errors. */
import { DestinationGoneError, isBotError, RateLimitedError, UpstreamError } from '../../core/errors.js';

/** Platform errors that mean the channel will not take our posts again until someone acts. */
export const GONE_ERRORS: ReadonlySet<string> = new Set(['channel_not_found', 'is_archived', 'not_in_channel']);

interface WebApiErrorShape {
  code?: unknown;
  original?: WebApiErrorShape;
  data?: { error?: unknown };
  retryAfter?: unknown;
  statusCode?: unknown;
}

/** The Slack error code (`channel_not_found`, `ratelimited`, …) of a Web API failure, if it has one. */
export function slackErrorCode(err: unknown): string | undefined {
  const value = (err as WebApiErrorShape | null)?.data?.error;
  return typeof value === 'string' ? value : undefined;
}

export function mapSlackError(err: unknown): Error {
  if (isBotError(err)) return err; // already in the core's terms (a response_url failure)
  const shape = (err ?? {}) as WebApiErrorShape;
  const code = slackErrorCode(err);
  if (code && GONE_ERRORS.has(code)) return new DestinationGoneError(`Slack refused the post: ${code}.`, code);
  if (shape.code === 'slack_webapi_rate_limited_error' || code === 'ratelimited') {
    const seconds = typeof shape.retryAfter === 'number' ? shape.retryAfter : 30;
    return new RateLimitedError('Slack is rate limiting the bot.', seconds);
  }
  // After its bounded retries the client wraps its last "rate limit exceeded" in a request error (message only).
  const exhausted = /A rate limit was exceeded .*retry-after: (\d+)/.exec(
    String((shape.original as Error | undefined)?.message),
  );
  if (exhausted) {
    const seconds = Number(exhausted[1]);
    return new RateLimitedError('Slack is rate limiting the bot.', seconds);
  }
  const retryable = shape.code !== 'slack_webapi_platform_error';
  return new UpstreamError(`Slack Web API call failed: ${code ?? (err as Error).message}`, 'slack', {
    cause: err,
    retryable,
  });
}
