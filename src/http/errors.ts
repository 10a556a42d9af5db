import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from '../core/ports.js';

/** Every error response has the same small JSON shape. */
export function sendError(res: Response, status: number, error: string, message: string): void {
  if (res.headersSent) return;
  res.status(status).json({ error, message });
}

// body-parser's error types (https://github.com/expressjs/body-parser#errors) and what to answer.
const BODY_ERRORS: Readonly<Record<string, [number, string, string]>> = {
  'entity.too.large': [413, 'payload_too_large', 'The request body is larger than 1 MiB.'],
  'request.aborted': [400, 'request_aborted', 'The request was aborted before its body arrived.'],
  'request.size.invalid': [400, 'bad_length', 'The request body does not match its Content-Length.'],
  'encoding.unsupported': [415, 'unsupported_encoding', 'That Content-Encoding is not supported.'],
  'charset.unsupported': [415, 'unsupported_charset', 'That charset is not supported; send UTF-8.'],
};

/**
 * The last middleware: known client errors get their 4xx, anything else is a bug — logged with the request, answered
 * with a 500 that reveals nothing.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const type = (err as { type?: unknown }).type;
    const known = typeof type === 'string' ? BODY_ERRORS[type] : undefined;
    if (known) {
      sendError(res, known[0], known[1], known[2]);
      return;
    }
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendError(res, status, 'bad_request', (err as Error).message);
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    sendError(res, 500, 'internal', 'Internal error; it has been logged.');
  };
}
