/**
 * The playground (docs/behaviour.md#local-mode-and-the-playground), local mode only: a Teams-like page at `/` that talks to the bot the way Teams does
 * (activities to `/api/messages`, with this server's connector as their `serviceUrl`), renders its Adaptive Cards with
 * the official renderer, and acts as the customer through the emulator's control endpoints.
 *
 * Routes: the page and its assets, `/playground/config` (who the page is), `/playground/events` (the conversations as
 * server-sent events), `/playground/messages` (the page reports what the user typed, so a reload still shows it),
 * `/playground/requests` (the requests the customer panel can act on) and `/playground/reconcile` (run the reconciler
 * now, for changes Partner Center sends no webhook for), plus the connector itself.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Router, type Request, type Response } from 'express';
import { StorageUnavailableError } from '../core/errors.js';
import type { Clock, Logger, Store } from '../core/ports.js';
import { jsonObjectBody, rawBody } from '../http/body.js';
import { sendError } from '../http/errors.js';
import { param } from '../emulator/params.js';
import { PACKAGE_ROOT } from '../paths.js';
import { CONNECTOR_PATH, connectorRoutes } from './connector-routes.js';
import { playgroundIdentities } from './identities.js';
import { Transcript, type TranscriptChange } from './transcript.js';

export interface PlaygroundDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly allowedTenants: readonly string[];
  readonly botAppId: string | undefined;
  /** this server's own URL, once it listens */
  readonly url: () => string;
  /** run the reconciler now; false when a run was already going */
  readonly reconcile: () => Promise<boolean>;
}

export interface Playground {
  readonly router: Router;
  readonly transcript: Transcript;
  /** End the open event streams, so shutdown does not wait for browsers. */
  close(): void;
}

const PAGE_DIR = join(PACKAGE_ROOT, 'playground');
const ASSETS: Readonly<Record<string, string>> = {
  'app.js': join(PAGE_DIR, 'app.js'),
  'app.css': join(PAGE_DIR, 'app.css'),
  'adaptivecards.min.js': createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js'),
};
/** Teams' own limit on a message's size, roughly; anything longer is not a chat message. */
const MAX_TEXT = 28_000;
const KEEPALIVE_MS = 20_000;
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A handler that reads the store: an unavailable store is a 503 that says so, not a 500. */
function readingStore(handler: (req: Request, res: Response) => Promise<void>) {
  return async (req: Request, res: Response) => {
    try {
      await handler(req, res);
    } catch (err) {
      if (!(err instanceof StorageUnavailableError)) throw err;
      res.setHeader('retry-after', '5');
      sendError(res, 503, 'store_unavailable', err.message);
    }
  };
}

export function createPlayground(deps: PlaygroundDeps): Playground {
  const transcript = new Transcript();
  const identities = playgroundIdentities(deps.allowedTenants, deps.botAppId);
  const conversations = new Set([identities.chat.id, identities.channel.id]);
  const streams = new Set<Response>();
  const router = Router();
  const now = () => deps.clock.now();

  router.get('/', (_req, res) => {
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    res.setHeader('cache-control', 'no-store');
    res.sendFile(join(PAGE_DIR, 'index.html'));
  });

  router.get('/playground/assets/:file', (req, res) => {
    const file = ASSETS[param(req, 'file')];
    if (!file) {
      sendError(res, 404, 'not_found', 'No such playground asset.');
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(file);
  });

  router.get(
    '/playground/config',
    readingStore(async (_req, res) => {
      const subscription = await deps.store.subscriptions.get('teams', identities.channel.id);
      res.json({
        ...identities,
        serviceUrl: `${deps.url()}${CONNECTOR_PATH}/`,
        channelSubscribed: subscription?.active === true,
      });
    }),
  );

  router.get('/playground/events', (req, res) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    send('snapshot', transcript.snapshot());
    const stop = transcript.listen((change: TranscriptChange) => {
      send(change.kind, change);
    });
    const keepalive = setInterval(() => {
      res.write(': keep-alive\n\n');
    }, KEEPALIVE_MS);
    streams.add(res);
    req.on('close', () => {
      clearInterval(keepalive);
      stop();
      streams.delete(res);
    });
  });

  router.post('/playground/messages', ...rawBody, jsonObjectBody, (req, res) => {
    const body = req.body as Record<string, unknown>;
    const { conversationId, id, text } = body;
    if (typeof conversationId !== 'string' || !conversations.has(conversationId)) {
      sendError(res, 400, 'bad_conversation', `conversationId must be one of: ${[...conversations].join(', ')}.`);
      return;
    }
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
      sendError(res, 400, 'bad_id', 'id must be 1-64 letters, digits, "-" or "_".');
      return;
    }
    if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TEXT) {
      sendError(res, 400, 'bad_text', `text must be 1-${MAX_TEXT} characters.`);
      return;
    }
    transcript.add({
      id,
      conversationId,
      from: { id: identities.user.id, name: identities.user.name, role: 'user' },
      text,
      attachments: [],
      timestamp: now().toISOString(),
    });
    res.status(201).json({ id });
  });

  router.get(
    '/playground/requests',
    readingStore(async (_req, res) => {
      const requests = await deps.store.requests.list({ scope: `teams:${identities.tenantId}`, limit: 50 });
      res.json({
        requests: requests.map((r) => ({
          id: r.id,
          customerName: r.customerName,
          domain: r.domain,
          status: r.status,
          adminAccess: r.adminAccess,
          gdapRelationshipId: r.gdapRelationshipId ?? null,
          customerTenantId: r.customerTenantId ?? null,
        })),
      });
    }),
  );

  router.post('/playground/reconcile', async (_req, res) => {
    res.json({ ran: await deps.reconcile() });
  });

  router.use(connectorRoutes(transcript, now));

  return {
    router,
    transcript,
    close() {
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}
