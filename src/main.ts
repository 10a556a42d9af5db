/**
 * Process entry point: read the environment once, start the app, and stop it cleanly on SIGTERM / SIGINT.
 * Exit codes: 0 after a clean stop, 1 when start-up fails or shutdown overruns its 10 s budget.
 */
import { SHUTDOWN_BUDGET_MS, startApp, type RunningApp } from './app.js';
import { configOrExit, fail } from './cli.js';
import { ConfigError } from './config.js';
import { createLogger } from './logging.js';
import { describeStartupError } from './startup-errors.js';

const config = configOrExit();

const logger = createLogger(config);

process.on('unhandledRejection', (reason) => {
  logger.error({ err: reason }, 'unhandled promise rejection (a bug); the bot keeps running');
});
process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception (a bug); exiting');
  process.exit(1);
});

let app: RunningApp;
try {
  app = await startApp(config, logger);
} catch (err) {
  if (err instanceof ConfigError) fail([err.message]);
  const known = describeStartupError(err, config);
  if (known) fail([`Start-up failed: ${known}`]);
  logger.fatal({ err }, `start-up failed: ${(err as Error).message}`);
  process.exit(1);
}

// Local mode: the one line a person starting the bot looks for, as plain text (the logs are JSON lines).
if (app.playground) process.stderr.write(`\nPlayground: ${app.url}/ (open it in a browser; Ctrl-C stops the bot)\n\n`);

let shuttingDown = false;
const shutdown = (signal: NodeJS.Signals) => {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, `${signal} received: shutting down`);
  const overrun = setTimeout(() => {
    logger.error({}, `shutdown took longer than ${SHUTDOWN_BUDGET_MS / 1000} s; exiting anyway`);
    process.exit(1);
  }, SHUTDOWN_BUDGET_MS);
  overrun.unref();
  app.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
