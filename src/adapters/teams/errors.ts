/** Bot Connector failures in the core's vocabulary. botbuilder has already retried 429 (with Retry-After) and 5xx. */
import { DestinationGoneError, RateLimitedError, UpstreamError } from '../../core/errors.js';

interface ConnectorFailure {
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { status?: number; headers?: { get?(name: string): string | undefined }; bodyAsText?: string | null };
}

/** Teams' 403 codes that mean the bot can never post there again (status-code table in docs/platforms.md#teams). */
const GONE_CODES = new Set(['BotNotInConversationRoster', 'ConversationBlockedByUser', 'BotDisabledByAdmin']);

export function mapConnectorError(err: unknown): Error {
  if (!(err instanceof Error)) return new UpstreamError(`Teams failed: ${String(err)}`, 'teams');
  const failure = err as Error & ConnectorFailure;
  const status = failure.statusCode ?? failure.response?.status;
  const code = failure.code ?? codeFromBody(failure.response?.bodyAsText);
  if (status === 403 && code && GONE_CODES.has(code)) {
    return new DestinationGoneError(`Teams refused the post (${code}); the app is not installed there any more.`, code);
  }
  if (status === 404) {
    return new DestinationGoneError('Teams no longer knows this conversation.', code ?? 'ConversationNotFound');
  }
  if (status === 429) {
    const header = failure.response?.headers?.get?.('retry-after');
    const seconds = header === undefined ? Number.NaN : Number(header);
    return new RateLimitedError(
      'Teams is limiting how fast the bot may post.',
      Number.isFinite(seconds) ? seconds : undefined,
    );
  }
  const what = status === undefined ? 'could not be reached' : `answered ${status}${code ? ` ${code}` : ''}`;
  return new UpstreamError(`Teams ${what}: ${failure.message}`, 'teams', { cause: err, retryable: retryable(status) });
}

/**
 * Teams' retry guidance (docs/platforms.md#teams): 412 PreconditionFailed and 502/503/504 are worth retrying with backoff,
 * so is a connection failure; 500 ServiceError is not (botbuilder has already tried it four times), nor other 4xx.
 */
function retryable(status: number | undefined): boolean {
  return status === undefined || status === 412 || status === 502 || status === 503 || status === 504;
}

function codeFromBody(body: string | null | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}
