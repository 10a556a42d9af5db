import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { sendError } from './errors.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

declare module 'express-serve-static-core' {
  interface Request {
    /**
     * The exact bytes received, for signature checks (Slack, Partner Center) that must not see a re-serialised body.
     */
    rawBody?: Buffer;
  }
}

const keepRaw: RequestHandler = (req, _res, next) => {
  req.rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  next();
};

/** Read the body as bytes (any content type), up to 1 MiB; larger bodies are refused with 413 before parsing. */
export const rawBody: readonly RequestHandler[] = [express.raw({ type: () => true, limit: BODY_LIMIT_BYTES }), keepRaw];

/**
 * Parse the raw body as a JSON object: 415 for another content type, 400 for an empty body, bad JSON or a JSON value
 * that is not an object. A leading UTF-8 byte-order mark is tolerated.
 */
export function jsonObjectBody(req: Request, res: Response, next: NextFunction): void {
  if (!req.is(['application/json', 'application/*+json'])) {
    sendError(res, 415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
    return;
  }
  const text = (req.rawBody ?? Buffer.alloc(0)).toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    sendError(res, 400, 'empty_body', 'The request body is empty; a JSON object was expected.');
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    sendError(res, 400, 'malformed_json', `The request body is not valid JSON: ${(err as Error).message}`);
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    sendError(res, 400, 'not_an_object', 'The request body must be a JSON object.');
    return;
  }
  req.body = value;
  next();
}
