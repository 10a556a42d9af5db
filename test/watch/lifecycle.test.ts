/**
 * The issue's "must show": the whole lifecycle as seen in both fake platforms — request → sent → accepted → admin
 * granted → admin revoked — driven through the emulator's control endpoints, with webhooks, with the reconciler
 * only, and with both paths seeing the same change.
 */
import { strict as assert } from 'node:assert';
import { markSent } from '../../src/core/actions/mark-sent.js';
import { SUPPORT_REMINDER } from '../../src/core/notifications/model.js';
import { NOTIFY_CHANNEL } from '../support/slack.js';
import { TEAM, watchHarness } from '../support/watch.js';

type H = Awaited<ReturnType<typeof watchHarness>>;

/** What each platform has seen, as lines for the transcript. */
function transcript(h: H): string[] {
  return [
    ...h.teamsNotices().map((t) => `teams ${TEAM}: ${t}`),
    ...h.slackNotices().map((t) => `slack ${NOTIFY_CHANNEL}: ${t}`),
  ];
}

describe('Partner Center lifecycle in Teams and Slack (issue "must show")', function () {
  let h: H;
  beforeEach(async () => {
    h = await watchHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('request -> sent -> accepted -> admin granted -> admin revoked, once in every channel, cards updated', async () => {
    const lines: string[] = [];
    const contoso = await h.teamsRequest();
    const fabrikam = await h.slackRequest();
    assert.equal(contoso.adminAccess, 'pending', 'GDAP requested with the invitation');
    assert.ok(contoso.gdapRelationshipId && contoso.gdapLink?.includes(contoso.gdapRelationshipId));
    assert.ok(contoso.draft.body.includes(contoso.gdapLink ?? '!'), 'the approval link is in the draft');
    lines.push(`teams: ${contoso.id} ${contoso.customerName} card ${contoso.card?.messageId ?? ''}`);
    lines.push(`slack: ${fabrikam.id} ${fabrikam.customerName} card ${fabrikam.card?.messageId ?? ''}`);

    // sent: through the core actions the card buttons call
    for (const r of [contoso, fabrikam]) {
      const tenant = r.scope.slice(r.scope.indexOf(':') + 1);
      await markSent(h.core, {
        platform: r.requester.platform,
        tenant,
        user: { id: r.requester.id, name: r.requester.name },
        requestId: r.id,
      });
    }
    h.connector.reset();
    h.slack.reset();

    // The customers accept (webhook from the emulator).
    const c1 = await h.control('customers', { companyName: 'Contoso Ltd', domain: 'contoso.com' });
    const c2 = await h.control('customers', { companyName: 'Fabrikam GmbH', domain: 'fabrikam.com' });
    assert.equal(c1.status, 201);
    assert.equal(c2.status, 201);
    await h.settle();
    const accepted = 'Customer accepted the reseller relationship';
    assert.deepEqual(h.teamsNotices(), [accepted, accepted], 'Teams channel: one notice per customer');
    assert.equal(h.slackNotices().length, 2, 'Slack notify channel: one notice per customer');
    assert.ok(h.slackNotices().every((t) => t.startsWith(accepted)));
    for (const r of [contoso, fabrikam]) {
      const now = await h.core.store.requests.get(r.id);
      assert.equal(now?.status, 'accepted');
      assert.equal(now.customerTenantId, (r === contoso ? c1 : c2).json['tenantId']);
    }
    // both cards updated in place
    const teamsCard = h.connector.updates().find((u) => u.activityId === contoso.card?.messageId);
    assert.ok(teamsCard, 'the Teams card was updated in place');
    assert.ok(JSON.stringify(teamsCard.body).includes('Accepted by the customer'));
    const slackCard = h.slack.of('chat.update').find((u) => u.body['ts'] === fabrikam.card?.messageId);
    assert.ok(slackCard, 'the Slack card was updated in place');
    assert.ok(JSON.stringify(slackCard.body).includes('Accepted by the customer'));
    lines.push(...transcript(h));

    // Admin access: approve, then terminate Contoso's GDAP relationship.
    h.connector.reset();
    h.slack.reset();
    const relationship = contoso.gdapRelationshipId ?? '';
    assert.equal(
      (await h.control(`gdap/${relationship}/approve`, { tenantId: String(c1.json['tenantId']) })).status,
      200,
    );
    await h.settle();
    assert.deepEqual(h.teamsNotices(), ['Admin access (GDAP) approved'], 'approved + activated webhooks: one notice');
    assert.equal(h.slackNotices().length, 1);
    const granted = await h.core.store.requests.get(contoso.id);
    assert.equal(granted?.adminAccess, 'granted');
    assert.ok(granted.gdapEndsAt, 'the end date is kept for the expiry warnings');
    lines.push(...transcript(h));

    h.connector.reset();
    h.slack.reset();
    assert.equal((await h.control(`gdap/${relationship}/terminate`)).status, 200);
    await h.settle();
    assert.deepEqual(h.teamsNotices(), ['Admin access (GDAP) revoked']);
    const [revokedPost] = h.connector.posts().filter((p) => p.conversationId === TEAM);
    assert.ok(
      JSON.stringify(revokedPost?.body).includes(SUPPORT_REMINDER),
      'Teams notice carries the support reminder',
    );
    const [slackRevoked] = h.slack.of('chat.postMessage').filter((c) => c.body['channel'] === NOTIFY_CHANNEL);
    assert.ok(JSON.stringify(slackRevoked?.body).includes('Cloud Reseller Agreement'), 'Slack notice carries it too');
    assert.equal((await h.core.store.requests.get(contoso.id))?.adminAccess, 'revoked');
    lines.push(...transcript(h));

    // The reconciler afterwards finds nothing new.
    h.connector.reset();
    h.slack.reset();
    await h.app.app.scheduler.runNow('reconciler');
    await h.settle();
    assert.deepEqual(transcript(h), [], 'the reconciler repeats nothing');

    // eslint-disable-next-line no-console -- the transcript is what this test shows
    console.log(`      transcript:\n${lines.map((l) => `        ${l}`).join('\n')}`);
  });

  it('with webhooks off, the reconciler alone notifies once per channel and updates the card', async () => {
    const contoso = await h.teamsRequest();
    assert.equal((await h.control('webhooks', { enabled: false })).status, 200);
    h.connector.reset();
    h.slack.reset();
    await h.control('customers', { companyName: 'Contoso Ltd', domain: 'contoso.com' });
    await h.settle();
    assert.deepEqual(transcript(h), [], 'no webhook, nothing yet');
    assert.equal(await h.app.app.scheduler.runNow('reconciler'), true);
    await h.settle();
    assert.equal(h.teamsNotices().length, 1);
    assert.equal(h.slackNotices().length, 1);
    assert.equal((await h.core.store.requests.get(contoso.id))?.status, 'accepted');
    assert.ok(h.connector.updates().some((u) => u.activityId === contoso.card?.messageId));
    await h.app.app.scheduler.runNow('reconciler');
    await h.settle();
    assert.equal(h.teamsNotices().length, 1, 'a second run adds nothing');

    await h.control(`gdap/${contoso.gdapRelationshipId ?? ''}/expire`);
    await h.app.app.scheduler.runNow('reconciler');
    await h.settle();
    assert.deepEqual(h.teamsNotices().slice(1), ['Admin access (GDAP) expired']);
    assert.equal((await h.core.store.requests.get(contoso.id))?.adminAccess, 'expired');
  });

  it('when the webhook and the reconciler both see an acceptance, it is notified once', async () => {
    await h.teamsRequest();
    h.connector.reset();
    h.slack.reset();
    await h.control('customers', { companyName: 'Contoso Ltd', domain: 'contoso.com' });
    await h.app.app.emulator?.webhooks.settled();
    // the reconciler runs before and after the webhook's event was handled
    await h.app.app.scheduler.runNow('reconciler');
    await h.settle();
    await h.app.app.scheduler.runNow('reconciler');
    await h.settle();
    assert.equal(h.teamsNotices().length, 1);
    assert.equal(h.slackNotices().length, 1);
    // and a redelivered webhook is acknowledged and changes nothing
    const [first] = h.app.app.emulator?.state.webhookLog ?? [];
    assert.equal(first?.status, 200);
  });

  it('a customer who matches no request is notified as unmatched, with candidates', async () => {
    await h.teamsRequest();
    h.connector.reset();
    h.slack.reset();
    await h.control('customers', { companyName: 'Tailspin Contoso Toys', domain: 'tailspin.example' });
    await h.settle();
    assert.deepEqual(h.teamsNotices(), ['A customer accepted, but no open request matches']);
    const [notice] = h.connector.posts().filter((p) => p.conversationId === TEAM);
    assert.ok(JSON.stringify(notice?.body).includes('This is '), 'the candidates are offered');
    assert.equal(h.slackNotices().length, 1);
    const [open] = await h.core.store.requests.list({ limit: 5 });
    assert.equal(open?.status, 'draft', 'no request was changed');
  });

  it('a removed reseller relationship (no webhook exists) is found by the reconciler and notified, without the reseller-agreement reminder', async () => {
    const contoso = await h.teamsRequest();
    const customer = await h.control('customers', { companyName: 'Contoso Ltd', domain: 'contoso.com' });
    await h.settle();
    h.connector.reset();
    h.slack.reset();
    const tenantId = String(customer.json['tenantId']);
    assert.equal((await h.control(`customers/${tenantId}/remove-relationship`)).status, 200);
    await h.app.app.scheduler.runNow('reconciler');
    await h.settle();
    assert.deepEqual(h.teamsNotices(), ['Reseller relationship removed']);
    const removed = JSON.stringify(h.connector.posts()[0]?.body);
    assert.ok(!removed.includes(SUPPORT_REMINDER), 'the relationship itself ended: the reminder would mislead');
    assert.ok(removed.includes('"color":"Attention"'), 'bad news');
    assert.equal(h.slackNotices().length, 1);
    assert.equal((await h.core.store.requests.get(contoso.id))?.status, 'removed');
    await h.app.app.scheduler.runNow('reconciler');
    await h.settle();
    assert.equal(h.teamsNotices().length, 1, 'once');
  });
});
