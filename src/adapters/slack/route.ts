/**
 * `POST /slack/events` on our one HTTP server: slash commands, interactivity and events on one URL. This edge checks
 * what Bolt's own receivers check — and a little more — before handing the body to Bolt's `App.processEvent`:
 * - the signature over the exact bytes received (Slack's v0 HMAC-SHA256 scheme), and a timestamp within 5 minutes of
 *   now in **either** direction (Bolt only refuses old ones): 401;
 * - the content type: form bodies for commands and interactivity, JSON for events; anything else 400 (Bolt's
 *   receivers compare the header with `===`, so `...; charset=utf-8` would be read as JSON and fail);
 * - `url_verification` answered with the challenge, `ssl_check=1` with an empty 200.
 * Nothing here reaches a 500: a failure after the acknowledgement is logged, before it the caller gets a 200 that
 * Slack shows as an error message.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Clock, Logger } from '../../core/ports.js';
import { BODY_LIMIT_BYTES } from '../../http/body.js';
import type { DirectRoute } from '../../http/server.js';

/** Slack's replay window: requests signed further from now than this, either way, are refused. */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/** A Bolt receiver that does not listen: our express route feeds it. */
export class RouteReceiver implements Receiver {
  private app: App | undefined;

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  process(event: ReceiverEvent): Promise<void> {
    if (!this.app) throw new Error('the Slack app was not initialised');
    return this.app.processEvent(event);
  }
}

type Parsed =
  { ok: true; body: Record<string, unknown> } | { ok: false; status: number; code: string; message: string };

/** The body as Bolt expects it: form fields (with `payload` JSON for interactivity) or the JSON event envelope. */
export function parseSlackBody(type: string, raw: string): Parsed {
  const bad = (message: string): Parsed => ({ ok: false, status: 400, code: 'bad_request', message });
  if (type === 'application/x-www-form-urlencoded') {
    const fields = formFields(raw);
    if (typeof fields['payload'] !== 'string') return { ok: true, body: fields };
    try {
      const payload: unknown = JSON.parse(fields['payload']);
      if (!payload || typeof payload !== 'object' || Array.isArray(payload))
        return bad('The payload is not a JSON object.');
      return { ok: true, body: payload as Record<string, unknown> };
    } catch {
      return bad('The payload field is not valid JSON.');
    }
  }
  if (type === 'application/json') {
    try {
      const body: unknown = JSON.parse(raw);
      if (!body || typeof body !== 'object' || Array.isArray(body)) return bad('The body is not a JSON object.');
      return { ok: true, body: body as Record<string, unknown> };
    } catch {
      return bad('The body is not valid JSON.');
    }
  }
  return {
    ok: false,
    status: 400,
    code: 'unsupported_content_type',
    message: 'Slack sends application/x-www-form-urlencoded (commands, interactivity) or application/json (events).',
  };
}

/** Form fields as Bolt's receivers read them (node:querystring), a repeated field taking its last value. */
function formFields(raw: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(parseQuery(raw))) {
    fields[name] = Array.isArray(value) ? (value.at(-1) ?? '') : (value ?? '');
  }
  return fields;
}

/** Why a request's signature or timestamp is refused, or undefined when it is good. */
export function signatureProblem(
  headers: IncomingHttpHeaders,
  raw: Buffer,
  signingSecret: string,
  now: Date,
): string | undefined {
  const signature = headers['x-slack-signature'];
  const timestampText = headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || typeof timestampText !== 'string') return 'The request is not signed.';
  const timestamp = Number(timestampText);
  if (!Number.isInteger(timestamp)) return 'The request timestamp is not a number.';
  if (Math.abs(now.getTime() / 1000 - timestamp) > TIMESTAMP_TOLERANCE_SECONDS) {
    return 'The request timestamp is more than 5 minutes away from now.';
  }
  // Slack's documented scheme: v0= HMAC-SHA256 of "v0:<timestamp>:<body>" over the bytes received (a body decoded
  // first would let a byte that is not UTF-8 pass as U+FFFD), compared in constant time. (Bolt's own verifySlackRequest
  // compares through tsscmp, which draws random bytes for every request: 5 % of our CPU under load.)
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestampText}:`).update(raw);
  const expected = Buffer.from(`v0=${hmac.digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? undefined
    : 'The request signature does not match.';
}

interface SlackRouteDeps {
  receiver: RouteReceiver;
  signingSecret: string;
  clock: Clock;
  logger: Logger;
}

/**
 * Served on Node's own request and response, ahead of express (see http/server.ts): Slack's acknowledgement is the
 * hot path, and the benchmark showed express's routing and body reading costing more than Bolt itself.
 */
export function slackRoute(deps: SlackRouteDeps): DirectRoute {
  return {
    method: 'POST',
    path: SLACK_PATH,
    handle(req, res) {
      void readBody(req, res).then((bytes) => {
        if (bytes) answer(deps, req, res, bytes);
      });
    },
  };
}

export const SLACK_PATH = '/slack/events';

function send(res: ServerResponse, status: number, body?: unknown, contentType = 'application/json'): void {
  if (res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': `${contentType}; charset=utf-8`, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const error = (res: ServerResponse, status: number, code: string, message: string) => {
  send(res, status, { error: code, message });
};

/** The body up to 1 MiB (413 beyond, 415 for a content encoding Slack never uses); undefined when answered. */
function readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') {
    req.resume();
    error(res, 415, 'unsupported_encoding', 'That Content-Encoding is not supported.');
    return Promise.resolve(undefined);
  }
  // plain events rather than an async iterator: this is the acknowledgement's hot path
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT_BYTES) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.resume();
      error(res, 413, 'payload_too_large', 'The request body is larger than 1 MiB.');
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => {
      resolve(size <= BODY_LIMIT_BYTES ? Buffer.concat(chunks) : undefined);
    });
    req.once('error', () => {
      error(res, 400, 'request_aborted', 'The request was aborted before its body arrived.');
      resolve(undefined);
    });
  });
}

function answer(deps: SlackRouteDeps, req: IncomingMessage, res: ServerResponse, bytes: Buffer): void {
  const raw = bytes.toString('utf8');
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  // ssl_check may come unsigned (with a verification token we do not use): an empty 200, and nothing is run.
  if (
    type === 'application/x-www-form-urlencoded' &&
    raw.includes('ssl_check=') &&
    formFields(raw)['ssl_check'] === '1'
  ) {
    send(res, 200);
    return;
  }
  const problem = signatureProblem(req.headers, bytes, deps.signingSecret, deps.clock.now());
  if (problem) {
    deps.logger.info({ reason: problem }, 'Slack request refused');
    error(res, 401, 'unauthorized', problem);
    return;
  }
  const parsed = parseSlackBody(type, raw);
  if (!parsed.ok) {
    error(res, parsed.status, parsed.code, parsed.message);
    return;
  }
  const body = parsed.body;
  if (body['type'] === 'url_verification') {
    send(res, 200, { challenge: body['challenge'] });
    return;
  }
  let acked = false;
  const ack = (response?: unknown): Promise<void> => {
    if (acked) return Promise.resolve();
    acked = true;
    if (response === undefined || response === '') send(res, 200);
    else if (typeof response === 'string') send(res, 200, response, 'text/plain');
    else send(res, 200, response);
    return Promise.resolve();
  };
  const retryNum = Number(req.headers['x-slack-retry-num']);
  const retryReason = req.headers['x-slack-retry-reason'];
  deps.receiver
    .process({
      body,
      ack,
      ...(Number.isInteger(retryNum) ? { retryNum } : {}),
      ...(typeof retryReason === 'string' ? { retryReason } : {}),
    })
    .then(() => ack())
    .catch((err: unknown) => {
      deps.logger.error({ err }, 'Slack request failed');
      if (!acked) {
        acked = true;
        send(res, 200, {
          response_type: 'ephemeral',
          text: 'Sorry, something went wrong on our side; it has been logged.',
        });
      }
    });
}
