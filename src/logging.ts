/**
 * pino, with two guards against leaking secrets: well-known secret fields are redacted by path, and every secret
 * value from the configuration is replaced wherever it appears in a finished log line (an error message quoting a
 * connection string, a token echoed by a remote API).
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger } from 'pino';

export const REDACTED = '[redacted]';

const REDACT_PATHS = [
  'password',
  'token',
  'secret',
  '*.password',
  '*.token',
  '*.secret',
  '*.appPassword',
  '*.botToken',
  '*.signingSecret',
  '*.clientSecret',
  '*.refreshToken',
  'headers.authorization',
  'headers["x-slack-signature"]',
  '*.headers.authorization',
  '*.headers["x-slack-signature"]',
];

export function createLogger(
  config: Pick<Config, 'logLevel' | 'secrets'>,
  destination: DestinationStream = pino.destination({ dest: 1, sync: true }),
): Logger {
  const scrub = scrubber(config.secrets);
  return pino(
    {
      name: 'partner-relationship-bot',
      level: config.logLevel,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: { streamWrite: scrub },
    },
    destination,
  );
}

/** Replaces each secret value, raw or as it looks inside a JSON string, with `[redacted]`. */
export function scrubber(secrets: readonly string[]): (line: string) => string {
  const needles = [...new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))]
    .filter((s) => s.length >= 4)
    .sort((a, b) => b.length - a.length);
  if (needles.length === 0) return (line) => line;
  return (line) => {
    let out = line;
    for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    return out;
  };
}
