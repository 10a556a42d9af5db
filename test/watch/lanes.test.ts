/**
 * The job runner's lanes: one channel that is slow to take a post (a platform's Retry-After, a stalled connection)
 * holds up no other channel. The notifier is a spy on our own port; the store is the real embedded store; time is a
 * step clock the test moves, so nothing here depends on how fast the machine is.
 */
import { strict as assert } from 'node:assert';
import { openEmbeddedStore } from '../../src/adapters/store/embedded/embedded-store.js';
import { OPEN_ACCESS } from '../../src/core/access.js';
import { RateLimitedError } from '../../src/core/errors.js';
import { deliveryKey, type DeliveryPayload } from '../../src/core/notifications/deliver-job.js';
import type { NotificationModel } from '../../src/core/notifications/model.js';
import { JobRunner } from '../../src/core/outbox/runner.js';
import { JOB_HANDLERS } from '../../src/core/outbox/topics.js';
import { newJob } from '../../src/core/outbox/types.js';
import type { ChannelNotifier, Store, Subscription } from '../../src/core/ports.js';
import { eventually } from '../support/eventually.js';
import { DRAFT_TEMPLATE, RESELLER_LINK, SequenceIds } from '../support/core-harness.js';
import { captureLogger } from '../support/logs.js';
import { StepClock } from '../support/step-clock.js';
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
  tone: 'good',
  requestId: `RR-0000${n}`,
  customerName: `Customer ${n}`,
  facts: [],
  details: [],
  supportReminder: '',
  at: '2026-11-24T00:00:00.000Z',
  atText: '',
});

/** Deliveries of notification n to a channel, due one after another in the listed order. */
function deliveries(clock: StepClock, items: readonly (readonly [string, number])[]) {
  return items.map(([channel, n], i) => {
    const payload: DeliveryPayload = {
      destination: subscription(channel),
      notification: notification(n),
      direct: false,
    };
    return newJob(
      'deliver',
      deliveryKey(`e${n}`, payload.destination),
      payload,
      new Date(clock.now().getTime() - 10_000 + i),
    );
  });
}

describe('job runner lanes', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: Store;
  let runner: JobRunner | undefined;

  beforeEach(async () => {
    dir = await tempDir('prb-lanes-');
    store = await openEmbeddedStore(dir.path);
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await store.close();
    await dir.remove();
  });

  function start(clock: StepClock, notifier: ChannelNotifier, batch = 50) {
    const deps = {
      store,
      clock,
      ids: new SequenceIds(),
      links: RESELLER_LINK,
      logger: captureLogger().logger,
      settings: { partnerName: 'Northwind Partners', draftTemplate: DRAFT_TEMPLATE, access: OPEN_ACCESS },
      notifiers: [notifier],
    };
    runner = new JobRunner(JOB_HANDLERS, deps, 'w', {
      batch,
      pollMs: 60_000,
      rateWindows: { teams: [], slack: [] },
    });
    return runner;
  }

  it('keeps posting to other channels while one channel waits', async () => {
    const clock = new StepClock();
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
        return undefined;
      },
      wasDelivered: () => Promise.resolve(undefined),
      refreshCard: () => Promise.resolve(),
      updateNotification: () => Promise.resolve(),
      poster: () => assert.fail('no replies in these tests'),
    };
    const jobs = deliveries(clock, [
      ['slow', 1],
      ['fast', 2],
      ['fast', 3],
      ['fast', 4],
    ]);
    await store.outbox.enqueue(jobs, clock.now());
    // two claimed at a time: the slow channel's post holds one slot, the other lane goes on claiming
    const worker = start(clock, notifier, 2);
    worker.kick();
    await eventually(() => (posted.length >= 3 ? true : undefined), 'the fast channel’s three posts');
    assert.deepEqual(posted, ['fast:Customer 2', 'fast:Customer 3', 'fast:Customer 4']);
    release();
    await worker.idle();
    assert.deepEqual(posted.at(-1), 'slow:Customer 1');
  });

  it("holds a channel for the platform's Retry-After, keeps the others going, and retries without waiting for a poll", async () => {
    const clock = new StepClock();
    const posts: { post: string; at: number }[] = [];
    let refusedAt: number | undefined;
    const notifier: ChannelNotifier = {
      platform: 'teams',
      standing: [],
      notify(sub, model) {
        const post = `${sub.channelId}:${model.customerName}`;
        if (post === 'busy:Customer 1' && refusedAt === undefined) {
          refusedAt = clock.elapsed;
          return Promise.reject(new RateLimitedError('Teams is throttling (429).', 1));
        }
        posts.push({ post, at: clock.elapsed });
        return Promise.resolve(undefined);
      },
      wasDelivered: () => Promise.resolve(undefined),
      refreshCard: () => Promise.resolve(),
      updateNotification: () => Promise.resolve(),
      poster: () => assert.fail('no replies in these tests'),
    };
    const jobs = deliveries(clock, [
      ['busy', 1],
      ['busy', 2],
      ['other', 3],
    ]);
    await store.outbox.enqueue(jobs, clock.now());
    // a minute between polls: only the runner's own wake-up can bring the refused post back
    const worker = start(clock, notifier);
    worker.kick();
    const refused = jobs[0]?.key ?? '';
    await eventually(async () => ((await store.outbox.get(refused))?.released === 1 ? true : undefined), 'the refusal');
    await eventually(() => (posts.length === 1 ? true : undefined), 'the other channel’s post');
    assert.deepEqual(posts, [{ post: 'other:Customer 3', at: 0 }], 'the other channel did not wait; the busy one did');
    assert.equal(refusedAt, 0);

    // the runner now waits on the clock twice: the refused post's wake-up and the next post's pacing
    await eventually(() => (clock.pending === 2 ? true : undefined), 'the runner waiting on the clock');
    clock.advance(1_000); // Retry-After: 1 s
    const at = (post: string) => posts.find((p) => p.post === post)?.at;
    await eventually(() => at('busy:Customer 2'), 'the next post to the refused channel');
    clock.advance(250); // the refused post's retry is due within 250 ms of jitter after that
    await eventually(() => at('busy:Customer 1'), 'the refused post, again');
    await worker.idle();
    assert.equal(at('busy:Customer 2'), 1_000, 'the next post to the refused channel waited for Retry-After');
    assert.ok((at('busy:Customer 1') ?? 0) >= 1_000, 'the refused post came back after Retry-After');
    assert.equal(posts.length, 3);
  });
});
