/**
 * One HTTP call to Partner Center or Microsoft Graph, done the way their guidance asks (docs/partner-center.md):
 * `MS-RequestId` kept across retries of the same call, a fresh `MS-CorrelationId` per call, a timeout on every
 * attempt, 429 answered by waiting `Retry-After` (a bounded number of times), a leading BOM tolerated, and failures
 * turned into core errors.
 */
import { randomUUID } from 'node:crypto';
import { RateLimitedError, UpstreamError } from '../../core/errors.js';
import type { Logger } from '../../core/ports.js';

export interface HttpOptions {
  readonly service: 'Partner Center' | 'Microsoft Graph';
  /** the bearer token for this call */
  readonly token: () => Promise<string>;
  readonly timeoutMs: number;
  /** retries after the first attempt, for 429, 502–504 and timeouts */
  readonly retries: number;
  /** a Retry-After longer than this is not waited out here: the caller gets RateLimitedError to reschedule */
  readonly maxWaitSeconds: number;
  readonly logger: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface HttpCall {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** statuses the caller handles itself (e.g. 404), returned instead of thrown */
  readonly accept?: readonly number[];
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

const RETRYABLE = new Set([429, 502, 503, 504]);
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function callApi(options: HttpOptions, call: HttpCall): Promise<HttpAnswer> {
  const requestId = randomUUID();
  const correlationId = randomUUID();
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= options.retries;
    let response: Response;
    try {
      response = await fetch(call.url, {
        method: call.method,
        headers: {
          authorization: `Bearer ${await options.token()}`,
          accept: 'application/json',
          'ms-requestid': requestId,
          'ms-correlationid': correlationId,
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...call.headers,
        },
        body: call.body === undefined ? null : JSON.stringify(call.body),
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      if (err instanceof UpstreamError) throw err; // from the token source
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      if (!last) {
        await sleep(backoffMs(attempt));
        continue;
      }
      throw new UpstreamError(
        `${options.service} ${timedOut ? `did not answer within ${options.timeoutMs / 1000} s` : 'could not be reached'} (${call.method} ${pathOf(call.url)}).`,
        options.service,
        { cause: err, retryable: true },
      );
    }
    const body = parseBody(await response.text());
    if (response.ok || call.accept?.includes(response.status)) {
      return { status: response.status, body, headers: response.headers };
    }
    if (RETRYABLE.has(response.status)) {
      const retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
      if (!last && (retryAfter ?? 0) <= options.maxWaitSeconds) {
        options.logger.info(
          { service: options.service, status: response.status, retryAfter, attempt: attempt + 1 },
          `${options.service} asked us to wait; retrying`,
        );
        await sleep(retryAfter !== undefined ? retryAfter * 1000 : backoffMs(attempt));
        continue;
      }
      if (response.status === 429) {
        throw new RateLimitedError(`${options.service} is throttling our calls (429).`, retryAfter);
      }
    }
    throw new UpstreamError(
      `${options.service} answered ${response.status} to ${call.method} ${pathOf(call.url)}: ${describeError(body)}`,
      options.service,
      { retryable: response.status >= 500 || response.status === 412 },
    );
  }
}

/** Partner Center bodies sometimes start with a UTF-8 byte-order mark. */
export function parseBody(text: string): unknown {
  const clean = text.replace(/^\uFEFF/, '').trim();
  if (!clean) return undefined;
  try {
    return JSON.parse(clean) as unknown;
  } catch {
    return clean.slice(0, 200);
  }
}

/** The three error shapes: Partner Center `{code, description}`, Graph `{error:{code,message}}`, 429 `{message}`. */
export function describeError(body: unknown): string {
  if (typeof body === 'string') return body || 'no details';
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const graph = b['error'] as Record<string, unknown> | undefined;
    if (graph && typeof graph === 'object') return `${String(graph['code'])}: ${String(graph['message'])}`;
    if (typeof b['description'] === 'string') return `${String(b['code'])}: ${b['description']}`;
    if (typeof b['message'] === 'string') return b['message'];
  }
  return 'no details';
}

export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function backoffMs(attempt: number): number {
  return Math.min(8_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
