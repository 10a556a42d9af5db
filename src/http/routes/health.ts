import { Router } from 'express';
import type { Store } from '../../core/ports.js';

export const READINESS_TIMEOUT_MS = 2_000;

/**
 * `/healthz`: the process answers (liveness). `/readyz`: the store answers within 2 s and nothing else stops the work
 * (Microsoft refusing the bot's sign-in); otherwise 503 with the reason, so an operator sees why.
 */
export function healthRoutes(
  store: Pick<Store, 'ping' | 'kind'>,
  /** another reason the bot cannot do its work until a person acts (e.g. Microsoft refuses its sign-in) */
  otherProblem: () => string | undefined = () => undefined,
): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const stored = await readiness(store);
    const other = otherProblem();
    const result = stored.ready && other ? { ready: false as const, reason: other } : stored;
    res
      .status(result.ready ? 200 : 503)
      .json(
        result.ready
          ? { status: 'ready', store: store.kind }
          : { status: 'unavailable', store: store.kind, reason: result.reason },
      );
  });
  return router;
}

export async function readiness(
  store: Pick<Store, 'ping'>,
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<{ ready: true } | { ready: false; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`the store did not answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
  });
  try {
    await Promise.race([store.ping(), timeout]);
    return { ready: true };
  } catch (err) {
    return { ready: false, reason: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
