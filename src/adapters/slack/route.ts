/**
 * `POST /slack/events` on our one HTTP server: slash commands, interactivity and events on one URL. This edge checks
 * what Bolt's own receivers check — and a little more — before handing the body to Bolt's `App.processEvent`:
 * - the signature over the exact bytes received (Bolt's `verifySlackRequest`), and a timestamp within 5 minutes of
 *   now in **either** direction (Bolt only refuses old ones): 401;
 * - the content type: form bodies for commands and interactivity, JSON for events; anything else 400 (Bolt's
 *   receivers compare the header with `===`, so `...; charset=utf-8` would be read as JSON and fail);
 * - `url_verification` answered with the challenge, `ssl_check=1` with an empty 200.
 * Nothing here reaches a 500: a failure after the acknowledgement is logged, before it the caller gets a 200 that
 * Slack shows as an error message.
 */
import { Router, type Request, type Response } from 'express';
import { verifySlackRequest, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Clock, Logger } from '../../core/ports.js';
import { rawBody } from '../../http/body.js';
import { sendError } from '../../http/errors.js';

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

function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The body as Bolt expects it: form fields (with `payload` JSON for interactivity) or the JSON event envelope. */
export function parseSlackBody(type: string, raw: string): Parsed {
  const bad = (message: string): Parsed => ({ ok: false, status: 400, code: 'bad_request', message });
  if (type === 'application/x-www-form-urlencoded') {
    const fields = Object.fromEntries(new URLSearchParams(raw));
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

/** Why a request's signature or timestamp is refused, or undefined when it is good. */
export function signatureProblem(req: Request, raw: string, signingSecret: string, now: Date): string | undefined {
  const signature = req.headers['x-slack-signature'];
  const timestampText = req.headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || typeof timestampText !== 'string') return 'The request is not signed.';
  const timestamp = Number(timestampText);
  if (!Number.isInteger(timestamp)) return 'The request timestamp is not a number.';
  if (Math.abs(now.getTime() / 1000 - timestamp) > TIMESTAMP_TOLERANCE_SECONDS) {
    return 'The request timestamp is more than 5 minutes away from now.';
  }
  try {
    verifySlackRequest({
      signingSecret,
      body: raw,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: now.getTime(),
    });
    return undefined;
  } catch {
    return 'The request signature does not match.';
  }
}

export function slackRoutes(deps: {
  receiver: RouteReceiver;
  signingSecret: string;
  clock: Clock;
  logger: Logger;
}): Router {
  const router = Router();
  router.post('/slack/events', ...rawBody, (req: Request, res: Response) => {
    const raw = (req.rawBody ?? Buffer.alloc(0)).toString('utf8');
    const type = mediaType(req);
    // ssl_check may come unsigned (with a verification token we do not use): an empty 200, and nothing is run.
    if (type === 'application/x-www-form-urlencoded' && new URLSearchParams(raw).get('ssl_check') === '1') {
      res.status(200).end();
      return;
    }
    const problem = signatureProblem(req, raw, deps.signingSecret, deps.clock.now());
    if (problem) {
      deps.logger.info({ reason: problem }, 'Slack request refused');
      sendError(res, 401, 'unauthorized', problem);
      return;
    }
    const parsed = parseSlackBody(type, raw);
    if (!parsed.ok) {
      sendError(res, parsed.status, parsed.code, parsed.message);
      return;
    }
    const body = parsed.body;
    if (body['type'] === 'url_verification') {
      res.status(200).json({ challenge: body['challenge'] });
      return;
    }
    let acked = false;
    const ack = (response?: unknown): Promise<void> => {
      if (acked) return Promise.resolve();
      acked = true;
      if (response === undefined || response === '') res.status(200).end();
      else if (typeof response === 'string') res.status(200).type('text/plain').send(response);
      else res.status(200).json(response);
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
          res
            .status(200)
            .json({ response_type: 'ephemeral', text: 'Sorry, something went wrong on our side; it has been logged.' });
        }
      });
  });
  return router;
}
