/** The Slack notifier against the fake Web API: posts, card updates, Retry-After, and channels that are gone. */
import { strict as assert } from 'node:assert';
import type { ChannelNotifier } from '../../../src/core/ports.js';
import { RateLimitedError, UpstreamError } from '../../../src/core/errors.js';
import { deliverToSubscription } from '../../../src/core/notifications/deliver.js';
import { requestNotification } from '../../../src/core/notifications/model.js';
import type { Subscription } from '../../../src/core/ports.js';
import { request, revokedAfterGrant } from '../../contract/store-contract.js';
import { NOTIFY_CHANNEL, slackHarness } from '../../support/slack.js';

type Harness = Awaited<ReturnType<typeof slackHarness>>;

describe('Slack notifier', function () {
  let h: Harness;
  let notifier: ChannelNotifier;
  /** rights the customer had granted, revoked while the reseller relationship stands: the reminder applies */
  const notice = () =>
    requestNotification(
      'admin.revoked',
      request('RR-AAAAA', {
        status: 'accepted',
        adminAccess: 'revoked',
        timeline: [revokedAfterGrant('2026-11-23T10:00:00.000Z')],
      }),
      '2026-11-23T10:00:00.000Z',
    );

  async function subscribed(channelId: string): Promise<Subscription> {
    const at = '2026-11-23T09:00:00.000Z';
    const { subscription } = await h.core.store.subscriptions.subscribe({
      platform: 'slack',
      scope: 'slack:T0CONTOSO',
      channelId,
      createdBy: 'U0ANA',
      createdAt: at,
    });
    return subscription;
  }

  beforeEach(async () => {
    h = await slackHarness();
    notifier = h.app.app.notifiers.find((n) => n.platform === 'slack') as ChannelNotifier;
  });
  afterEach(async () => {
    await h.stop();
  });

  it('SLACK_NOTIFY_CHANNEL is a standing destination; without it there is none', async () => {
    assert.deepEqual(
      notifier.standing.map((s) => s.channelId),
      [NOTIFY_CHANNEL],
    );
    const other = await slackHarness({ SLACK_NOTIFY_CHANNEL: '' });
    try {
      const n = other.app.app.notifiers.find((x) => x.platform === 'slack') as ChannelNotifier;
      assert.deepEqual(n.standing, []);
    } finally {
      await other.stop();
    }
  });

  it('posts the notification with blocks, a fallback text and the support reminder for a revocation', async () => {
    await notifier.notify(await subscribed('C0ALERTS'), notice(), 'test-key');
    const post = h.slack.of('chat.postMessage')[0];
    assert.equal(post?.body['channel'], 'C0ALERTS');
    assert.equal(post.authorization, 'Bearer xoxb-test-token');
    assert.match(String(post.body['text']), /Admin access \(GDAP\) revoked/);
    assert.match(JSON.stringify(post.body['blocks']), /Cloud Reseller Agreement/);
  });

  it('honours 429 Retry-After: waits, then delivers', async () => {
    h.slack.fail('chat.postMessage', {
      status: 429,
      headers: { 'retry-after': '1' },
      body: { ok: false, error: 'ratelimited' },
    });
    await notifier.notify(await subscribed('C0ALERTS'), notice(), 'test-key');
    const posts = h.slack.of('chat.postMessage');
    assert.equal(posts.length, 2);
    assert.ok((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0) >= 1000, 'the second try came after Retry-After');
  });

  for (const error of ['channel_not_found', 'is_archived', 'not_in_channel']) {
    it(`${error} disables the subscription`, async () => {
      const subscription = await subscribed('C0GONE');
      h.slack.fail('chat.postMessage', { status: 200, body: { ok: false, error } });
      assert.equal(
        (await deliverToSubscription(h.core, notifier, subscription, notice(), 'test-key')).delivered,
        false,
      );
      const after = await h.core.store.subscriptions.get('slack', 'C0GONE');
      assert.equal(after?.active, false);
      assert.equal(after.disabledReason, error);
    });
  }

  it('other platform errors are reported, not retried, and leave the subscription alone', async () => {
    const subscription = await subscribed('C0ALERTS');
    h.slack.fail('chat.postMessage', { status: 200, body: { ok: false, error: 'invalid_blocks' } });
    await assert.rejects(
      deliverToSubscription(h.core, notifier, subscription, notice(), 'test-key'),
      (err: unknown) => {
        assert.ok(err instanceof UpstreamError);
        assert.equal(err.retryable, false);
        return true;
      },
    );
    assert.equal(h.slack.of('chat.postMessage').length, 1);
    assert.equal((await h.core.store.subscriptions.get('slack', 'C0ALERTS'))?.active, true);
  });

  it('a persistent 429 ends as RateLimitedError after the bounded retries', async () => {
    h.slack.fail(
      'chat.postMessage',
      { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } },
      5,
    );
    await assert.rejects(notifier.notify(await subscribed('C0ALERTS'), notice(), 'test-key'), (err: unknown) => {
      assert.ok(err instanceof RateLimitedError, String(err));
      assert.equal(err.retryAfterSeconds, 1);
      return true;
    });
    assert.equal(h.slack.of('chat.postMessage').length, 3, 'three tries, not ten over 30 minutes');
  });

  it('refreshCard updates a Slack card in place, and ignores cards on other platforms', async () => {
    const card = request('RR-BBBBB', {
      card: { platform: 'slack', conversationId: 'C0SALES', messageId: '1700000000.000001' },
    } as never);
    await notifier.refreshCard(card);
    const update = h.slack.of('chat.update')[0];
    assert.equal(update?.body['channel'], 'C0SALES');
    assert.equal(update.body['ts'], '1700000000.000001');
    await notifier.refreshCard(
      request('RR-CCCCC', { card: { platform: 'teams', conversationId: 'x', messageId: 'y' } } as never),
    );
    await notifier.refreshCard(request('RR-DDDDD'));
    assert.equal(h.slack.of('chat.update').length, 1);
  });
});
