/**
 * The outbox worker's lanes: one channel that is slow to take a post (a platform's Retry-After, a stalled connection)
 * holds up no other channel. The notifier is a spy on our own port; the store is the real embedded store.
 */
import { strict as assert } from 'node:assert';
import { openEmbeddedStore } from '../../src/adapters/store/embedded/embedded-store.js';
import { systemClock } from '../../src/adapters/system/clock.js';
import { DELIVER_TOPIC, OutboxWorker } from '../../src/core/notifications/outbox-worker.js';
import type { NotificationModel } from '../../src/core/notifications/model.js';
import type { ChannelNotifier, Subscription } from '../../src/core/ports.js';
import { RateLimitedError } from '../../src/core/errors.js';
import { captureLogger } from '../support/logs.js';
import { tempDir } from '../support/temp.js';

const subscription = (channelId: string): Subscription => ({
  platform: 'teams',
  scope: 'teams:t',
  channelId,
  active: true,
  createdBy: 'test',
  createdAt: '2026-11-24T00:00:00.000Z',
  updatedAt: '2026-11-24T00:00:00.000Z',
});

const notification = (n: number): NotificationModel => ({
  event: 'relationship.accepted',
  title: 'Customer accepted the reseller relationship',
  requestId: `RR-0000${n}`,
  customerName: `Customer ${n}`,
  facts: [],
  details: [],
  supportReminder: '',
  at: '2026-11-24T00:00:00.000Z',
  atText: '',
});

describe('outbox worker lanes', () => {
  it('keeps posting to other channels while one channel waits', async () => {
    const dir = await tempDir('prb-lanes-');
    const store = await openEmbeddedStore(dir.path);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const posted: string[] = [];
    const notifier: ChannelNotifier = {
      platform: 'teams',
      standing: [],
      async notify(sub, model) {
        if (sub.channelId === 'slow') await held;
        posted.push(`${sub.channelId}:${model.customerName}`);
      },
      wasDelivered: () => Promise.resolve(undefined),
      refreshCard: () => Promise.resolve(),
    };
    const worker = new OutboxWorker(
      { store, clock: systemClock, logger: captureLogger().logger, notifiers: [notifier] },
      'w',
      {
        batch: 2,
        pollMs: 60_000,
        rateWindows: { teams: [], slack: [] },
      },
    );
    try {
      const now = Date.now();
      const items = [
        ['slow', 1],
        ['fast', 2],
        ['fast', 3],
        ['fast', 4],
      ] as const;
      await store.outbox.enqueue(
        items.map(([channel, n], i) => ({
          key: `${DELIVER_TOPIC}:e${n}>teams:${channel}`,
          topic: DELIVER_TOPIC,
          payload: { destination: subscription(channel), notification: notification(n), direct: false },
          dueAt: new Date(now - 10_000 + i * 1_000),
        })),
        new Date(now),
      );
      worker.kick();
      // two claimed at a time: the slow channel's post holds one slot, the other lane goes on claiming
      for (let i = 0; i < 100 && posted.length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(posted, ['fast:Customer 2', 'fast:Customer 3', 'fast:Customer 4']);
      release();
      await worker.idle();
      assert.deepEqual(posted.at(-1), 'slow:Customer 1');
    } finally {
      release();
      await worker.stop();
      await store.close();
      await dir.remove();
    }
  });

  it("holds a channel for the platform's Retry-After, keeps the others going, and retries without waiting for a poll", async () => {
    const dir = await tempDir('prb-lanes-');
    const store = await openEmbeddedStore(dir.path);
    const posts: { post: string; at: number }[] = [];
    let refusedAt = 0;
    const notifier: ChannelNotifier = {
      platform: 'teams',
      standing: [],
      notify(sub, model) {
        const post = `${sub.channelId}:${model.customerName}`;
        if (post === 'busy:Customer 1' && refusedAt === 0) {
          refusedAt = Date.now();
          return Promise.reject(new RateLimitedError('Teams is throttling (429).', 1));
        }
        posts.push({ post, at: Date.now() });
        return Promise.resolve();
      },
      wasDelivered: () => Promise.resolve(undefined),
      refreshCard: () => Promise.resolve(),
    };
    // a minute between polls: only the worker's own wake-up can bring the refused post back within the test
    const worker = new OutboxWorker(
      { store, clock: systemClock, logger: captureLogger().logger, notifiers: [notifier] },
      'w',
      { pollMs: 60_000, rateWindows: { teams: [], slack: [] } },
    );
    try {
      const now = Date.now();
      await store.outbox.enqueue(
        (
          [
            ['busy', 1],
            ['busy', 2],
            ['other', 3],
          ] as const
        ).map(([channel, n], i) => ({
          key: `${DELIVER_TOPIC}:e${n}>teams:${channel}`,
          topic: DELIVER_TOPIC,
          payload: { destination: subscription(channel), notification: notification(n), direct: false },
          dueAt: new Date(now - 10_000 + i * 1_000),
        })),
        new Date(now),
      );
      worker.kick();
      for (let i = 0; i < 200 && posts.length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      const at = (post: string) => posts.find((p) => p.post === post)?.at ?? Number.NaN;
      assert.deepEqual(posts.map((p) => p.post).sort(), ['busy:Customer 1', 'busy:Customer 2', 'other:Customer 3']);
      assert.ok(at('other:Customer 3') - refusedAt < 1_000, 'the other channel did not wait');
      assert.ok(at('busy:Customer 2') - refusedAt >= 1_000, 'the next post to the refused channel waited');
      assert.ok(at('busy:Customer 1') - refusedAt >= 1_000, 'the refused post came back after Retry-After');
    } finally {
      await worker.stop();
      await store.close();
      await dir.remove();
    }
  });
});
