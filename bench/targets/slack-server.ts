/** The Slack benchmark's servers: `ours` (the whole bot, Slack on) or `bare` (a Bolt 5 app that only acks). */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import bolt from '@slack/bolt';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { announce } from '../lib/child.js';
import { silentLogger } from '../lib/quiet.js';

const [which, secret = '', apiUrl = '', dataDir = '', partnerCenterUrl = ''] = process.argv.slice(2);

if (which === 'ours') {
  // the parent owns the data directory: it kills this process and removes it
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    TEAMS_ENABLED: 'false',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: secret,
    SLACK_API_URL: apiUrl,
    // Partner Center and Graph are remote services in production: here the emulator in its own process
    PARTNER_CENTER_API_URL: partnerCenterUrl,
  });
  const app = await startApp(config, silentLogger);
  process.once('SIGTERM', () => {
    void app.stop();
  });
  announce(app.url);
} else {
  const app = new bolt.App({
    signingSecret: secret,
    token: 'xoxb-bench',
    tokenVerificationEnabled: false,
    // its identity given, as ours learns it once from auth.test: no Web API call on the request path
    botId: 'B0BENCH',
    botUserId: 'U0BOT',
    logLevel: bolt.LogLevel.ERROR,
  });
  app.command('/relationship', async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(0)) as Server;
  process.once('SIGTERM', () => {
    void app.stop();
  });
  announce(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}
