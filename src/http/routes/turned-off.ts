import { Router } from 'express';
import { sendError } from '../errors.js';

/** A platform's route when the platform is switched off: a 404 that says why, instead of a bare "no route". */
export function turnedOff(path: string, message: string): Router {
  const router = Router();
  router.all(path, (_req, res) => {
    sendError(res, 404, 'turned_off', message);
  });
  return router;
}
