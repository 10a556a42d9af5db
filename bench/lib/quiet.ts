/** What every benchmark shares: a silent logger, a temp directory, waiting until background work settles. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/logging.js';

export const silentLogger = createLogger({ logLevel: 'silent', secrets: [] });

export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }) };
}

export const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/** Wait until `count()` stops changing for `quietMs` (the server's work after its answers is done). */
export async function settle(count: () => number, quietMs = 300, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = count();
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(50);
    const now = count();
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= quietMs) return;
  }
}

export function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
