import { EMULATOR_PARTNER_TENANT_ID } from '../../src/config.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/server.js';
import { TEST_REALISM } from './app.js';
import { captureLogger } from './logs.js';

/** The Partner Center + Graph emulator alone on a free loopback port, sending no webhooks until told where. */
export function startTestEmulator(): Promise<EmulatorServer> {
  return startEmulatorServer({
    port: 0,
    host: '127.0.0.1',
    webhookUrl: undefined,
    partnerTenantId: EMULATOR_PARTNER_TENANT_ID,
    msppId: '0',
    logger: captureLogger().logger,
    webhookRetryDelayMs: 20,
    realism: TEST_REALISM,
  });
}
