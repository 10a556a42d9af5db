/** What the entry points and the set-up commands share: plain lines for a person, and the configuration read once. */
import { ConfigError, loadConfig, readEnvironment, type Config } from './config.js';

/** Say what went wrong in plain lines on stderr, and exit 1. */
export function fail(lines: readonly string[]): never {
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(1);
}

/** Plain lines on stdout. */
export function say(lines: readonly string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The configuration from the environment and `.env`, or every problem with it in plain lines and exit 1. */
export function configOrExit(): Config {
  try {
    return loadConfig(readEnvironment());
  } catch (err) {
    if (err instanceof ConfigError) fail([err.message, 'See .env.example and README.md "Configuration".']);
    throw err;
  }
}
