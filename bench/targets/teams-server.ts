/**
 * The Teams benchmark's servers: `ours` (the whole bot, Teams on without authentication, as in local mode) or `bare`
 * (a botbuilder CloudAdapter bot that answers every message with a fixed card of the same size as ours).
 */
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import express from 'express';
import {
  ActivityHandler,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Response as BotResponse,
} from 'botbuilder';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { announce } from '../lib/child.js';
import { silentLogger, tempDir } from '../lib/quiet.js';

const [which, cardFile = '', gdap = 'true', partnerCenterUrl = ''] = process.argv.slice(2);

if (which === 'ours') {
  const dir = await tempDir('prb-bench-teams-');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dir.path,
    LOG_LEVEL: 'silent',
    GDAP_ENABLED: gdap,
    // Partner Center and Graph are remote services in production: here the emulator in its own process
    PARTNER_CENTER_API_URL: partnerCenterUrl,
  });
  const app = await startApp(config, silentLogger);
  process.once('SIGTERM', () => {
    void app.stop().then(() => dir.remove());
  });
  announce(app.url);
} else {
  const card = JSON.parse(readFileSync(cardFile, 'utf8')) as object;
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity({ type: 'message', attachments: [CardFactory.adaptiveCard(card)] });
    await next();
  });
  const app = express();
  app.post('/api/messages', express.json({ limit: '1mb' }), (req, res) => {
    void adapter.process(req, res as unknown as BotResponse, (context) => bot.run(context));
  });
  const server = app.listen(0, '127.0.0.1', () => {
    announce(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  process.once('SIGTERM', () => {
    server.close();
  });
}
