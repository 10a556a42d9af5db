/**
 * The Teams notifier (the core's notification port) against the fake Bot Connector: new channel posts, in-place card
 * updates, and what each Bot Connector failure becomes — knowing botbuilder already retries 429-with-Retry-After and
 * 5xx four times (docs/platforms.md#teams), so the notifier adds no retries of its own.
 */
import { strict as assert } from 'node:assert';
import { WATCHER } from '../../../src/core/watch/handle-event.js';
import { DestinationGoneError, RateLimitedError, UpstreamError } from '../../../src/core/errors.js';
import { deliverToSubscription } from '../../../src/core/notifications/deliver.js';
import { requestNotification, SUPPORT_REMINDER } from '../../../src/core/notifications/model.js';
import type { ChannelNotifier, Subscription } from '../../../src/core/ports.js';
import { cardOf, stringsOf, teamsHarness } from '../../support/teams.js';

const TEAM = '19:general-sales@thread.tacv2';

describe('Teams notifier', function () {
  let h: Awaited<ReturnType<typeof teamsHarness>>;
  let notifier: ChannelNotifier;
  let subscription: Subscription;

  beforeEach(async () => {
    h = await teamsHarness();
    await h.send(h.activity('installation-update-add'));
    await h.send({ ...h.activity('channel-message-mention'), id: 'm-request' });
    const found = await h.core.store.subscriptions.get('teams', TEAM);
    assert.ok(found);
    subscription = found;
    const teams = h.app.app.notifiers.find((n) => n.platform === 'teams');
    assert.ok(teams);
    notifier = teams;
    h.connector.reset();
  });
  afterEach(async () => {
    await h.stop();
  });

  async function theRequest() {
    const [request] = await h.core.store.requests.list({ limit: 1 });
    assert.ok(request);
    return request;
  }

  async function notification(event: 'relationship.accepted' | 'admin.revoked' = 'relationship.accepted') {
    const request = await theRequest();
    if (event === 'relationship.accepted') return requestNotification(event, request, '2026-11-24T09:00:00.000Z');
    // granted rights revoked while the reseller relationship stands: the reminder applies
    const at = '2026-11-24T09:00:00.000Z';
    const revoked = {
      ...request,
      status: 'accepted' as const,
      adminAccess: 'revoked' as const,
      timeline: [
        ...request.timeline,
        { type: 'adminAccess' as const, from: 'granted' as const, to: 'revoked' as const, at, actor: WATCHER },
      ],
    };
    return requestNotification(event, revoked, at);
  }

  async function failure(promise: Promise<unknown>): Promise<Error> {
    try {
      await promise;
    } catch (err) {
      return err as Error;
    }
    assert.fail('expected a failure');
  }

  it('posts a new top-level message in the channel, with the revocation reminder when it applies', async () => {
    await notifier.notify(subscription, await notification('admin.revoked'), 'test-key');
    const [post] = h.connector.posts();
    assert.equal(post?.path, `/v3/conversations/${encodeURIComponent(TEAM)}/activities`);
    assert.equal(post.body['type'], 'message');
    assert.equal(post.body['summary'], 'Admin access (GDAP) revoked');
    const strings = stringsOf(cardOf(post.body));
    assert.ok(strings.includes(SUPPORT_REMINDER));
    assert.ok(strings.includes('Contoso Ltd'));
  });

  it('rides out one 429 with Retry-After through botbuilder’s own retry: two calls, delivered', async () => {
    h.connector.fail({
      status: 429,
      headers: { 'retry-after': '1' },
      body: { error: { code: 'Throttled', message: 'slow down' } },
    });
    await notifier.notify(subscription, await notification(), 'test-key');
    assert.equal(h.connector.calls.length, 2);
    assert.equal(h.connector.posts().length, 1);
  });

  it('429 without Retry-After: one call, RateLimitedError without a wait, for the caller to back off', async () => {
    h.connector.fail({ status: 429, body: { error: { code: 'Throttled', message: 'slow down' } } });
    const err = await failure(notifier.notify(subscription, await notification(), 'test-key'));
    assert.ok(err instanceof RateLimitedError, String(err));
    assert.equal(err.retryAfterSeconds, undefined);
    assert.equal(h.connector.calls.length, 1);
  });

  it('429 with Retry-After that persists: botbuilder’s four calls, then RateLimitedError with the wait', async () => {
    h.connector.fail({ status: 429, headers: { 'retry-after': '1' }, times: 10 });
    const err = await failure(notifier.notify(subscription, await notification(), 'test-key'));
    assert.ok(err instanceof RateLimitedError, String(err));
    assert.equal(err.retryAfterSeconds, 1);
    assert.equal(h.connector.calls.length, 4, 'no retry layer stacked on botbuilder’s');
  });

  it('412: one call, a retryable UpstreamError', async () => {
    h.connector.fail({ status: 412, body: { error: { code: 'PreconditionFailed', message: 'busy' } } });
    const err = await failure(notifier.notify(subscription, await notification(), 'test-key'));
    assert.ok(err instanceof UpstreamError, String(err));
    assert.equal(err.retryable, true);
    assert.match(err.message, /412 PreconditionFailed/);
    assert.equal(h.connector.calls.length, 1);
  });

  it('500: botbuilder retries it; then a non-retryable UpstreamError (Teams says not to retry ServiceError)', async () => {
    h.connector.fail({ status: 500, times: 10 });
    const err = await failure(notifier.notify(subscription, await notification(), 'test-key'));
    assert.ok(err instanceof UpstreamError, String(err));
    assert.equal(err.retryable, false);
    assert.equal(h.connector.calls.length, 4);
  });

  it('503 once: botbuilder’s retry delivers it', async () => {
    h.connector.fail({ status: 503 });
    await notifier.notify(subscription, await notification(), 'test-key');
    assert.equal(h.connector.posts().length, 1);
  });

  for (const code of ['BotNotInConversationRoster', 'ConversationBlockedByUser']) {
    it(`403 ${code}: the subscription is disabled with that reason, one call`, async () => {
      h.connector.fail({ status: 403, body: { error: { code, message: 'nope' } } });
      const outcome = await deliverToSubscription(h.core, notifier, subscription, await notification(), 'test-key');
      assert.equal(outcome.delivered, false, 'disabled, not delivered');
      const after = await h.core.store.subscriptions.get('teams', TEAM);
      assert.equal(after?.active, false);
      assert.equal(after.disabledReason, code);
      assert.equal(h.connector.calls.length, 1);
    });
  }

  it('403 with another code is not mistaken for a removed app', async () => {
    h.connector.fail({ status: 403, body: { error: { code: 'Forbidden', message: 'policy' } } });
    const err = await failure(deliverToSubscription(h.core, notifier, subscription, await notification(), 'test-key'));
    assert.ok(err instanceof UpstreamError && !(err instanceof DestinationGoneError));
    assert.equal(err.retryable, false);
    assert.equal((await h.core.store.subscriptions.get('teams', TEAM))?.active, true);
  });

  it('a channel the bot has no conversation reference for is gone: subscription disabled', async () => {
    const stray = { ...subscription, channelId: '19:never-installed@thread.tacv2' };
    await h.core.store.subscriptions.subscribe({ ...stray, createdBy: 'test' });
    const outcome = await deliverToSubscription(h.core, notifier, stray, await notification(), 'test-key');
    assert.equal(outcome.delivered, false, 'disabled, not delivered');
    assert.equal(
      (await h.core.store.subscriptions.get('teams', stray.channelId))?.disabledReason,
      'NoConversationReference',
    );
    assert.equal(h.connector.calls.length, 0);
  });

  it('an unreachable Bot Connector is a retryable UpstreamError', async () => {
    await h.send(h.activity('installation-update-add', { serviceUrl: 'http://127.0.0.1:9/' }));
    h.connector.reset();
    const err = await failure(notifier.notify(subscription, await notification(), 'test-key'));
    assert.ok(err instanceof UpstreamError, String(err));
    assert.equal(err.retryable, true);
    assert.match(err.message, /could not be reached/);
  });

  it('refreshCard updates the original card in place with the current state', async () => {
    const request = await theRequest();
    assert.ok(request.card);
    await notifier.refreshCard({ ...request, status: 'accepted' });
    const [update, ...more] = h.connector.updates();
    assert.equal(more.length, 0);
    assert.equal(update?.activityId, request.card.messageId);
    assert.equal(update.conversationId, request.card.conversationId);
    assert.ok(stringsOf(cardOf(update.body)).includes('Accepted by the customer'));
  });

  it('refreshCard leaves cards of other platforms and cards without a reference alone', async () => {
    const request = await theRequest();
    await notifier.refreshCard({ ...request, card: { platform: 'slack', conversationId: 'C1', messageId: '1.2' } });
    await notifier.refreshCard({
      ...request,
      card: { platform: 'teams', conversationId: '19:unknown@thread.tacv2', messageId: 'x' },
    });
    assert.equal(h.connector.calls.length, 0);
  });

  it('refreshCard reports a failed update, typed', async () => {
    h.connector.fail({ status: 404, body: { error: { code: 'ActivityNotFoundInConversation', message: 'gone' } } });
    const err = await failure(notifier.refreshCard(await theRequest()));
    assert.ok(err instanceof DestinationGoneError, String(err));
  });
});
