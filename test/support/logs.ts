import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../src/logging.js';

/** A real pino logger whose output lines are kept for assertions. */
export function captureLogger(secrets: readonly string[] = [], level: 'debug' | 'info' = 'debug') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l.length > 0),
      );
      callback();
    },
  });
  const logger: Logger = createLogger({ logLevel: level, secrets }, stream);
  return {
    logger,
    lines,
    entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown> & { msg: string; level: number }),
  };
}
