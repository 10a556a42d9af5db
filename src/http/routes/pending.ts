import { Router, type RequestHandler } from 'express';
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
  if (local) {
    router.get('/', notYet('The playground'));
  }
  return router;
}
