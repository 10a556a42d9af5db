import { startApp, type AppOverrides, type RunningApp } from '../../src/app.js';
import type { Realism } from '../../src/emulator/state.js';
import { loadConfig, type Environment } from '../../src/config.js';
import { captureLogger } from './logs.js';
import { tempDir } from './temp.js';

/**
 * The emulator in tests is as inconvenient as the service — new customers hidden by id for a while, asynchronous
 * locks, every webhook twice, GDAP events last first — with waits short enough for a test.
 */
export const TEST_REALISM: Partial<Realism> = { customerHiddenMs: 150, lockDelayMs: 20, assignmentDelayMs: 60 };

/** The real app on 127.0.0.1 and a free port, with an embedded store in a temp dir. */
export async function startTestApp(env: Environment = {}, overrides: AppOverrides = {}) {
  const dir = await tempDir('prb-app-');
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir.path, ...env });
  const logs = captureLogger(config.secrets);
  const app: RunningApp = await startApp(config, logs.logger, { emulatorRealism: TEST_REALISM, ...overrides });
  return {
    app,
    config,
    logs,
    url: app.url,
    async stop() {
      await app.stop();
      await dir.remove();
    },
  };
}
