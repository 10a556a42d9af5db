/**
 * Start-up failures that are not bugs — the port is taken, the data directory is locked or not writable — as one
 * plain line an operator can act on, like the configuration's lines. Anything else is a bug and keeps its stack.
 */
import { StorageUnavailableError } from './core/errors.js';
import type { Config } from './config.js';

export function describeStartupError(err: unknown, config: Pick<Config, 'http'>): string | undefined {
  if (err instanceof StorageUnavailableError) return err.message;
  // a wrapped error (`listen` says where it tried) carries the system error as its cause
  const system = (err instanceof Error && err.cause instanceof Error ? err.cause : err) ?? {};
  const { code, path } = system as { code?: unknown; path?: unknown };
  const where = `${config.http.host}:${config.http.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `PORT: ${where} is already in use — stop the other process or set another PORT.`;
    case 'EADDRNOTAVAIL':
      return `HOST: ${config.http.host} is not an address of this machine — set HOST to one of its addresses.`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return typeof path === 'string'
        ? `Not allowed to write ${path} (${code}) — check DATA_DIR and its permissions.`
        : `PORT: not allowed to listen on ${where} (${code}) — use a port above 1023.`;
    default:
      return undefined;
  }
}
