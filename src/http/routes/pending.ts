import { Router, type RequestHandler } from 'express';
import { jsonObjectBody, rawBody } from '../body.js';
import { sendError } from '../errors.js';

const notYet =
  (what: string): RequestHandler =>
  (_req, res) => {
    sendError(res, 501, 'not_implemented', `${what} is not available in this version yet.`);
  };

/**
 * Routes of SPEC §7 whose handlers arrive with later work. They already enforce the body rules every route shares
 * (1 MiB, JSON where JSON is expected), then answer 501.
 */
export function pendingRoutes(local: boolean): Router {
  const router = Router();
  router.post('/api/partner-center/webhooks', ...rawBody, jsonObjectBody, notYet('The Partner Center webhook'));
  if (local) {
    router.all('/emulator/{*rest}', ...rawBody, notYet('The Partner Center emulator'));
    router.get('/', notYet('The playground'));
  }
  return router;
}
