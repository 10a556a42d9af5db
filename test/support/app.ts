import { startApp, type AppOverrides, type RunningApp } from '../../src/app.js';
import { loadConfig, type Environment } from '../../src/config.js';
import { captureLogger } from './logs.js';
import { tempDir } from './temp.js';

/** The real app on 127.0.0.1 and a free port, with an embedded store in a temp dir. */
export async function startTestApp(env: Environment = {}, overrides: AppOverrides = {}) {
  const dir = await tempDir('prb-app-');
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir.path, ...env });
  const logs = captureLogger(config.secrets);
  const app: RunningApp = await startApp(config, logs.logger, overrides);
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
