/** What every benchmark shares: a silent logger, a temp directory, sleeping, memory and garbage collection. */
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

export function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
