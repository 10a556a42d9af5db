/**
 * `npm run emulator`: the Partner Center + Graph emulator alone. Environment (emulator only, not bot settings):
 * EMULATOR_PORT (3979), EMULATOR_HOST (127.0.0.1), EMULATOR_WEBHOOK_URL (http://127.0.0.1:3978/api/partner-center/webhooks;
 * empty = no webhooks), PARTNER_TENANT_ID and MSPP_ID as for the bot.
 */
import { EMULATOR_PARTNER_TENANT_ID } from '../config.js';
import { createLogger } from '../logging.js';
import { startEmulatorServer } from './server.js';

const env = process.env;
const logger = createLogger({ logLevel: 'info', secrets: [] });
const port = Number(env['EMULATOR_PORT'] ?? 3979);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write('EMULATOR_PORT: must be a port number from 0 to 65535.\n');
  process.exit(1);
}
const webhookUrl = env['EMULATOR_WEBHOOK_URL'] ?? 'http://127.0.0.1:3978/api/partner-center/webhooks';
const running = await startEmulatorServer({
  port,
  host: env['EMULATOR_HOST'] ?? '127.0.0.1',
  webhookUrl: webhookUrl || undefined,
  partnerTenantId: env['PARTNER_TENANT_ID'] ?? EMULATOR_PARTNER_TENANT_ID,
  msppId: env['MSPP_ID'] ?? '0',
  logger,
});
logger.info(
  { url: running.url, webhookUrl: webhookUrl || 'none' },
  `Partner Center emulator listening on ${running.url} — point the bot at it with PARTNER_CENTER_API_URL=${running.url}/emulator/partner-center`,
);
const stop = () => {
  void running.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
