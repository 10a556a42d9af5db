/**
 * The notification benchmark's bot: Teams on, `channels` subscribed channels whose Bot Connector is the benchmark's
 * fake, and `events` notifications put in the outbox at once (spread evenly over the channels).
 */
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { deliveryKey } from '../../src/core/notifications/deliver-job.js';
import { newJob, type NewJob } from '../../src/core/outbox/types.js';
import { announce } from '../lib/child.js';
import { silentLogger, tempDir } from '../lib/quiet.js';

const [connectorUrl = '', events = '0', channels = '1'] = process.argv.slice(2);
const dir = await tempDir('prb-bench-notify-');
const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir.path, LOG_LEVEL: 'silent' });
const app = await startApp(config, silentLogger);
const { store } = app.core;
const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const at = new Date().toISOString();
const subscriptions = [];
for (let c = 0; c < Number(channels); c++) {
  const channelId = `19:bench-channel-${c}@thread.tacv2`;
  await store.conversations.save({
    key: `teams:${channelId}`,
    platform: 'teams',
    scope: `teams:${tenant}`,
    conversationId: channelId,
    reference: {
      serviceUrl: connectorUrl,
      channelId: 'msteams',
      conversation: { id: channelId, isGroup: true, conversationType: 'channel', tenantId: tenant },
      bot: { id: '28:bench-bot', name: 'Partner Relationship Bot' },
    },
    updatedAt: at,
  });
  const { subscription } = await store.subscriptions.subscribe({
    platform: 'teams',
    scope: `teams:${tenant}`,
    channelId,
    channelName: `bench ${c}`,
    createdBy: 'bench',
    createdAt: at,
  });
  subscriptions.push(subscription);
}
const now = new Date();
const items: NewJob[] = [];
for (let e = 0; e < Number(events); e++) {
  const destination = subscriptions[e % subscriptions.length];
  if (!destination) break;
  items.push(
    newJob(
      'deliver',
      deliveryKey(`bench-${e}`, destination),
      {
        destination,
        notification: {
          event: 'relationship.accepted',
          title: 'Customer accepted the reseller relationship',
          tone: 'good',
          requestId: `RR-${String(e).padStart(5, '0')}`,
          customerName: `Event ${e}`,
          facts: [],
          details: [],
          supportReminder: '',
          at,
          atText: at,
        },
        direct: false,
      },
      now,
    ),
  );
}
for (let i = 0; i < items.length; i += 500) await store.outbox.enqueue(items.slice(i, i + 500), now);
app.worker.kick();
process.once('SIGTERM', () => {
  void app.stop().then(() => dir.remove());
});
announce(app.url);
