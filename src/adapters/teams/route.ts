/** `POST /api/messages`: Bot Framework activities from Teams, on our one HTTP server. */
import { Router, type Request, type Response } from 'express';
import type { Activity } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import { DestinationGoneError, RateLimitedError, UpstreamError } from '../../core/errors.js';
import type { Logger } from '../../core/ports.js';
import { jsonObjectBody, rawBody } from '../../http/body.js';
import { sendError } from '../../http/errors.js';
import type { TeamsBot } from './bot.js';
import type { TeamsCloudAdapter } from './cloud-adapter.js';
import { withSdkConsole } from './sdk-console.js';
import { issuerProblem } from './token-issuer.js';
import type { Config } from '../../config.js';

/** What every Bot Framework activity carries; without it botbuilder throws deep inside instead of answering 400. */
export function activityProblem(body: Record<string, unknown>): string | undefined {
  const str = (v: unknown) => typeof v === 'string' && v.length > 0;
  const id = (v: unknown) => typeof v === 'object' && v !== null && str((v as { id?: unknown }).id);
  if (!str(body['type'])) return 'The activity has no type.';
  if (!id(body['conversation'])) return 'The activity has no conversation id.';
  if (!id(body['from'])) return 'The activity has no sender.';
  if (!id(body['recipient'])) return 'The activity has no recipient.';
  if (!str(body['serviceUrl'])) return 'The activity has no serviceUrl.';
  try {
    const url = new URL(body['serviceUrl'] as string);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The activity serviceUrl is not an http(s) URL.';
  } catch {
    return 'The activity serviceUrl is not a URL.';
  }
  if (body['text'] !== undefined && typeof body['text'] !== 'string') return 'The activity text is not text.';
  return undefined;
}

/**
 * Before the turn runs, every failure is about the token: botbuilder throws `AuthenticationError` or jsonwebtoken's
 * errors for bad ones, and a fetch error (or an AuthenticationError with status 500) when the keys cannot be loaded.
 */
function keysUnreachable(err: unknown): boolean {
  if (err instanceof AuthenticationError) return err.statusCode >= 500;
  const name = (err as { name?: unknown } | null)?.name;
  const code = (err as { code?: unknown } | null)?.code;
  return name === 'FetchError' || (typeof code === 'string' && /^E[A-Z]+$/.test(code));
}

export function teamsRoutes(deps: {
  adapter: TeamsCloudAdapter;
  bot: TeamsBot;
  authenticated: boolean;
  teams: Config['teams'];
  logger: Logger;
}): Router {
  const router = Router();
  router.post('/api/messages', ...rawBody, jsonObjectBody, (req: Request, res: Response) => {
    const body = req.body as Record<string, unknown>;
    const problem = activityProblem(body);
    if (problem) {
      sendError(res, 400, 'bad_activity', problem);
      return;
    }
    const authorization = req.headers.authorization ?? '';
    if (deps.authenticated && !authorization) {
      sendError(res, 401, 'unauthorized', 'A Bot Framework token is required.');
      return;
    }
    const issuer = deps.authenticated ? issuerProblem(authorization, deps.teams) : undefined;
    if (issuer) {
      deps.logger.info({ reason: issuer }, 'Teams request refused: bad token');
      sendError(res, 401, 'unauthorized', 'The Bot Framework token is not valid for this bot.');
      return;
    }
    let authenticated = false;
    withSdkConsole(deps.logger, () =>
      deps.adapter.runTurn(authorization, body as unknown as Activity, async (context) => {
        authenticated = true;
        await deps.bot.run(context);
      }),
    )
      .then((invoke) => {
        if (invoke?.body === undefined) res.status(invoke?.status ?? 200).end();
        else res.status(invoke.status).json(invoke.body);
      })
      .catch((err: unknown) => {
        if (res.headersSent) return;
        if (!authenticated && keysUnreachable(err)) {
          // botbuilder could not fetch the signing keys (OpenID metadata) to check the token: nothing was run.
          deps.logger.warn({ err }, 'Teams request not checked: the Bot Framework signing keys are unreachable');
          res.setHeader('retry-after', '5');
          sendError(res, 503, 'auth_unavailable', 'The token cannot be checked right now; try again.');
        } else if (!authenticated) {
          deps.logger.info({ reason: (err as Error).message }, 'Teams request refused: bad token');
          sendError(res, 401, 'unauthorized', 'The Bot Framework token is not valid for this bot.');
        } else if (
          err instanceof UpstreamError ||
          err instanceof RateLimitedError ||
          err instanceof DestinationGoneError
        ) {
          // the answer could not be sent: not a success, so Teams may send the activity again (and it is finished then)
          deps.logger.warn({ err }, 'Teams turn not answered: the reply could not be sent');
          res.setHeader('retry-after', '5');
          sendError(res, 502, 'reply_failed', 'The reply could not be sent to Teams; nothing is lost.');
        } else {
          deps.logger.error({ err }, 'Teams request failed');
          sendError(res, 500, 'internal', 'Internal error; it has been logged.');
        }
      });
  });
  return router;
}
