import express, { type Router } from 'express';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../core/ports.js';
import { errorHandler, sendError } from './errors.js';

export interface HttpOptions {
  readonly logger: Logger;
  readonly routers: readonly Router[];
  /** routes served on Node's request and response ahead of express (hot paths); they answer every request they take */
  readonly direct?: readonly DirectRoute[];
}

export interface DirectRoute {
  readonly method: string;
  readonly path: string;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/** One log line per request once answered: debug, or a warning for a server error. */
function logWhenAnswered(logger: Logger, method: string | undefined, path: string, res: ServerResponse): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
    const details = { method, path, status: res.statusCode, ms };
    if (res.statusCode >= 500) logger.warn(details, 'request answered with a server error');
    else logger.debug(details, 'request');
  });
}

/** The one HTTP server for every route of docs/behaviour.md#http-endpoints. */
export function createHttpServer({ logger, routers, direct = [] }: HttpOptions): Server {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    logWhenAnswered(logger, req.method, req.path, res);
    next();
  });
  for (const router of routers) app.use(router);
  app.use((req, res) => {
    sendError(res, 404, 'not_found', `No route for ${req.method} ${req.path}.`);
  });
  app.use(errorHandler(logger));

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = direct.find((r) => r.method === req.method && r.path === path);
    if (!route) {
      app(req, res);
      return;
    }
    logWhenAnswered(logger, req.method, path, res);
    route.handle(req, res);
  });
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  return server;
}

export function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // what to do about it is said once, for the operator, by startup-errors.ts (it reads the cause's code)
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new Error(`Cannot listen on ${host}:${port}: ${err.message}`, { cause: err }));
    });
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      const address = server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve(`http://${shownHost}:${actualPort}`);
    });
  });
}

/**
 * Stop accepting connections, let in-flight requests finish, and cut whatever is still open at the deadline.
 * Resolves `true` when everything closed in time.
 */
export function closeServer(server: Server, deadlineMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve(true);
      return;
    }
    // Keep-alive connections become idle as their last response ends; close them as they do.
    const sweep = setInterval(() => {
      server.closeIdleConnections();
    }, 100);
    const timer = setTimeout(() => {
      clearInterval(sweep);
      server.closeAllConnections();
      resolve(false);
    }, deadlineMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      clearInterval(sweep);
      resolve(true);
    });
    server.closeIdleConnections();
  });
}
