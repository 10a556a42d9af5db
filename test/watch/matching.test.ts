/**
 * Acceptances as Partner Center really reports them: the registered name and the default *.onmicrosoft.com domain,
 * never the custom domain staff typed. Where the bot cannot be sure, a person decides with one click; where a GDAP
 * approval has revealed the tenant, no person is needed — whichever of the two came first.
 */
import { strict as assert } from 'node:assert';
import type { RelationshipRequest } from '../../src/core/model.js';
import { loadAcceptance } from '../../src/core/watch/acceptances.js';
import { NOTIFY_CHANNEL, payloadBody, slackFixture } from '../support/slack.js';
import { eventually } from '../support/eventually.js';
import { teamsFixture, type Json } from '../support/teams.js';
import { postSlack, slackClick, TEAM, watchHarness } from '../support/watch.js';

type H = Awaited<ReturnType<typeof watchHarness>>;

/** The notification posts in Slack's notify channel, with their buttons. */
function slackAcceptancePosts(h: H) {
  return h.slack
    .of('chat.postMessage')
    .filter((c) => c.body['channel'] === NOTIFY_CHANNEL && c.body['metadata'])
    .map((c) => {
      const text = String(c.body['text']);
      const ts = [...h.slack.history].reverse().find((m) => m.channel === NOTIFY_CHANNEL && m.text === text)?.ts ?? '';
      return { ts, text, blocks: JSON.stringify(c.body['blocks']) };
    });
}

function buttonsOf(blocks: string): { text: string; value: string }[] {
  const parsed = JSON.parse(blocks) as {
    type: string;
    elements?: { type: string; text: { text: string }; value: string }[];
  }[];
  return parsed
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.type === 'button')
    .map((e) => ({ text: e.text.text, value: e.value }));
}

describe('matching acceptances the way they can be matched live', function () {
  let h: H;
  beforeEach(async () => {
    h = await watchHarness();
    await h.teams(teamsFixture('installation-update-add', { serviceUrl: h.connector.url }));
  });
  afterEach(async () => {
    await h.stop();
  });

  it('"Northwind" accepts as "Northwind Traders Holding GmbH" (nwtraders.onmicrosoft.com): a person links it, once', async () => {
    const lines: string[] = [];
    const northwind = await h.slackRequest('request relationship Northwind it@northwind.com domain northwind.com');
    lines.push(`request ${northwind.id}: "Northwind", it@northwind.com, domain northwind.com (Slack)`);
    h.connector.reset();
    h.slack.reset();

    const accepted = await h.control('customers', {
      companyName: 'Northwind Traders Holding GmbH',
      defaultDomain: 'nwtraders.onmicrosoft.com',
      domain: 'northwind.com',
    });
    assert.equal(accepted.status, 201);
    const tenantId = String(accepted.json['tenantId']);
    lines.push(
      `customer accepts: registered "Northwind Traders Holding GmbH", nwtraders.onmicrosoft.com, tenant ${tenantId} (northwind.com hidden)`,
    );
    await h.settle();

    const state = await h.core.store.requests.get(northwind.id);
    assert.equal(state?.status, northwind.status, 'not matched on a guess');
    assert.deepEqual(h.teamsNotices(), ['A customer accepted, but no open request matches'], 'Teams: one notice');
    const posts = slackAcceptancePosts(h);
    assert.equal(posts.length, 1, 'Slack: one notice');
    const [post] = posts;
    assert.ok(post);
    assert.ok(
      post.blocks.includes('Northwind Traders Holding GmbH') && post.blocks.includes('nwtraders.onmicrosoft.com'),
    );
    assert.ok(post.blocks.includes(tenantId), 'the notice shows the tenant id');
    const buttons = buttonsOf(post.blocks);
    assert.deepEqual(
      buttons.map((b) => b.text),
      [`This is ${northwind.id} — Northwind`, 'None of these'],
    );
    lines.push(`slack ${NOTIFY_CHANNEL}: "${post.text}" buttons ${buttons.map((b) => `[${b.text}]`).join(' ')}`);
    lines.push(
      `teams ${TEAM}: "${h.teamsNotices()[0] ?? ''}" (a Teams channel is offered its own workspace's requests: none here)`,
    );

    // the click, twice (a double click, or a second person later)
    const value = buttons[0]?.value ?? '';
    assert.equal(await slackClick(h, post.ts, 'link_acceptance', value, 'trigger-link-1'), 200);
    await h.settle();
    assert.equal(await slackClick(h, post.ts, 'link_acceptance', value, 'trigger-link-2'), 200);
    await h.settle();

    const linked = await h.core.store.requests.get(northwind.id);
    assert.equal(linked?.status, 'accepted');
    assert.equal(linked.customerTenantId, tenantId);
    assert.deepEqual(linked.customerRecord, {
      companyName: 'Northwind Traders Holding GmbH',
      defaultDomain: 'nwtraders.onmicrosoft.com',
    });
    const entry = linked.timeline.find((t) => t.type === 'customer-linked');
    assert.ok(entry?.actor.kind === 'user', 'the timeline says a person decided');
    assert.equal(linked.timeline.filter((t) => t.type === 'status' && t.to === 'accepted').length, 1, 'accepted once');
    lines.push(
      `click [This is ${northwind.id} — Northwind] twice → ${linked.id} accepted, linked by ${entry.actor.name}`,
    );

    const updates = h.slack.of('chat.update');
    const cardUpdates = updates.filter((u) => u.body['ts'] === northwind.card?.messageId);
    const noticeUpdates = updates.filter((u) => u.body['ts'] === post.ts);
    assert.ok(
      cardUpdates.some((u) => JSON.stringify(u.body).includes('Accepted by the customer')),
      'card updated',
    );
    assert.ok(JSON.stringify(cardUpdates.at(-1)?.body).includes('nwtraders.onmicrosoft.com'), 'card shows the record');
    assert.equal(noticeUpdates.length, 1, 'the notice updated in place, once');
    assert.ok(JSON.stringify(noticeUpdates[0]?.body).includes(`Linked to ${northwind.id}`));
    assert.equal(buttonsOf(JSON.stringify(noticeUpdates[0]?.body['blocks'])).length, 0, 'no buttons left');
    const teamsNoticeUpdated = h.connector
      .updates()
      .filter((u) => JSON.stringify(u.body).includes(`Linked to ${northwind.id}`));
    assert.equal(teamsNoticeUpdated.length, 1, 'the Teams notice updated in place, once');
    assert.equal(h.teamsNotices().length, 1, 'no second notice');
    assert.equal(slackAcceptancePosts(h).length, 1, 'no second Slack notice');
    lines.push(
      `slack: card ${northwind.card?.messageId ?? ''} updated (${cardUpdates.length}), notice ${post.ts} updated (1): "Linked to ${northwind.id} by …"; teams notice updated (1)`,
    );
    // eslint-disable-next-line no-console -- the transcript is what this test shows
    console.log(`      transcript:\n${lines.map((l) => `        ${l}`).join('\n')}`);
  });

  it('GDAP approved by a tenant first; the reseller acceptance from that tenant, under another name, matches by tenant', async () => {
    const fabrikam = await h.slackRequest('request relationship Fabrikam it@fabrikam.com domain fabrikam.com');
    const approved = await h.control(`gdap/${fabrikam.gdapRelationshipId ?? ''}/approve`, {
      companyName: 'Blue Yonder Airlines Group',
    });
    assert.equal(approved.status, 200);
    const tenantId = String((approved.json['customer'] as Json)['tenantId']);
    await h.settle();
    const afterApproval = await h.core.store.requests.get(fabrikam.id);
    assert.equal(afterApproval?.customerTenantId, tenantId, 'the approving tenant is recorded');
    assert.equal(afterApproval.adminAccess, 'granted');
    h.slack.reset();
    h.connector.reset();

    assert.equal((await h.control('customers', { tenantId })).status, 201);
    await h.settle();
    const accepted = await h.core.store.requests.get(fabrikam.id);
    assert.equal(accepted?.status, 'accepted');
    assert.ok(accepted.timeline.some((t) => t.type === 'status' && t.note === 'matched by tenant'));
    assert.deepEqual(h.teamsNotices(), ['Customer accepted the reseller relationship'], 'no person needed');
    assert.equal(slackAcceptancePosts(h).length, 1);
    // eslint-disable-next-line no-console -- the outcome is what this test shows
    console.log(
      `      GDAP approved by ${tenantId} ("Blue Yonder Airlines Group") → acceptance from it → ${fabrikam.id} accepted, matched by tenant`,
    );
  });

  it('accepted by one tenant, GDAP approved by another: the accepting tenant stays and the notice says so', async () => {
    const fabrikam = await h.slackRequest('request relationship Fabrikam it@fabrikam.com domain fabrikam.com');
    const accepted = await h.control('customers', { companyName: 'Fabrikam, Inc.', domain: 'fabrikam.com' });
    const acceptedBy = String(accepted.json['tenantId']);
    await h.settle();
    assert.equal((await h.core.store.requests.get(fabrikam.id))?.customerTenantId, acceptedBy);
    h.slack.reset();

    const approved = await h.control(`gdap/${fabrikam.gdapRelationshipId ?? ''}/approve`, {
      companyName: 'Fabrikam, Inc.',
    });
    const approvedBy = String((approved.json['customer'] as Json)['tenantId']);
    assert.notEqual(approvedBy, acceptedBy, 'a second tenant of the same name');
    await h.settle();
    const after = await h.core.store.requests.get(fabrikam.id);
    assert.equal(after?.adminAccess, 'granted');
    assert.equal(after.customerTenantId, acceptedBy, 'the tenant that accepted is kept');
    const notice = JSON.stringify(h.slack.of('chat.postMessage').map((m) => m.body));
    assert.ok(notice.includes(`Approved by tenant ${approvedBy}, not by ${acceptedBy}`), notice);
  });

  it('an acceptance nobody could match is matched when the GDAP approval from its tenant arrives later', async () => {
    const tailspin = await h.slackRequest('request relationship Tailspin it@tailspin.example domain tailspin.example');
    const accepted = await h.control('customers', { companyName: 'TST Beteiligungs GmbH' });
    const tenantId = String(accepted.json['tenantId']);
    await h.settle();
    assert.equal((await h.core.store.requests.get(tailspin.id))?.status, tailspin.status, 'nothing matched yet');
    const [post] = slackAcceptancePosts(h);
    assert.ok(post);
    h.slack.reset();

    await h.control(`gdap/${tailspin.gdapRelationshipId ?? ''}/approve`, { tenantId });
    await h.settle();
    const matched = await eventually(async () => {
      const r: RelationshipRequest | undefined = await h.core.store.requests.get(tailspin.id);
      return r?.status === 'accepted' ? r : undefined;
    }, 'the late match');
    assert.equal(matched.customerTenantId, tenantId);
    assert.equal((await loadAcceptance(h.core.store, tenantId))?.decided?.requestId, tailspin.id);
    const noticeUpdate = h.slack.of('chat.update').filter((u) => u.body['ts'] === post.ts);
    assert.equal(noticeUpdate.length, 1, 'the earlier notice changed in place');
    assert.ok(JSON.stringify(noticeUpdate[0]?.body).includes(`Linked to ${tailspin.id}`));
  });
});

describe('giving the customer tenant after the fact', function () {
  let h: H;
  beforeEach(async () => {
    h = await watchHarness();
    await h.teams(teamsFixture('installation-update-add', { serviceUrl: h.connector.url }));
  });
  afterEach(async () => {
    await h.stop();
  });

  it('Teams: the card’s tenant field decides an acceptance that waited for a person; a bad value is refused', async () => {
    const contoso = await h.teamsRequest();
    const accepted = await h.control('customers', { companyName: 'CTS Verwaltung GmbH' });
    const tenantId = String(accepted.json['tenantId']);
    await h.settle();
    assert.equal((await h.core.store.requests.get(contoso.id))?.status, contoso.status, 'nothing matched yet');

    const invoke = (tenant: string) =>
      fetch(new URL('/api/messages', h.app.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...teamsFixture('invoke-action-verb', {
            serviceUrl: h.connector.url,
            replyToId: contoso.card?.messageId ?? '',
            requestId: contoso.id,
            subject: '',
            body: '',
          }),
          id: `set-tenant-${tenant}`,
          value: {
            action: {
              type: 'Action.Execute',
              verb: 'setTenant',
              data: { action: 'setTenant', requestId: contoso.id, tenant },
            },
            trigger: 'manual',
          },
        }),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as Json }));

    const bad = await invoke('contoso.com');
    assert.equal(bad.status, 200);
    assert.ok(JSON.stringify(bad.body).includes('is not a tenant'), `a specific refusal: ${JSON.stringify(bad.body)}`);
    assert.equal((await h.core.store.requests.get(contoso.id))?.customerTenantId, undefined, 'nothing changed');

    const good = await invoke(tenantId.toUpperCase());
    assert.equal(good.status, 200);
    await h.settle();
    const now = await h.core.store.requests.get(contoso.id);
    assert.equal(now?.status, 'accepted', 'the waiting acceptance is decided by the tenant given');
    assert.equal(now.customerTenantId, tenantId);
    assert.ok(now.timeline.some((t) => t.type === 'tenant-given' && t.actor.kind === 'user'));
    assert.equal((await loadAcceptance(h.core.store, tenantId))?.decided?.requestId, contoso.id);
    assert.ok(
      h.connector.updates().some((u) => JSON.stringify(u.body).includes(`Linked to ${contoso.id}`)),
      'the notification changed in place',
    );
  });

  it('Slack: Customer tenant… opens a modal; the onmicrosoft domain given makes the later acceptance match by domain', async () => {
    const litware = await h.slackRequest('request relationship Litware it@litware.com');
    const button = slackFixture('block-actions', {
      actionId: 'set_tenant',
      requestId: litware.id,
      messageTs: litware.card?.messageId ?? '',
      triggerId: 'trigger-tenant',
      responseUrl: h.slack.responseUrl('tenant'),
    });
    const signed = (body: string) => postSlack(h.app.url, body);
    assert.equal(await signed(payloadBody(button)), 200);
    const opened = h.slack.of('views.open')[0]?.body['view'] as Json | undefined;
    assert.ok(opened);
    assert.equal(opened['callback_id'], 'set_tenant');
    const submit = (tenant: string, id: string) =>
      signed(
        payloadBody({
          type: 'view_submission',
          team: { id: 'T0CONTOSO', domain: 'contoso' },
          user: { id: 'U0ANA', username: 'ana.lopez', name: 'ana.lopez', team_id: 'T0CONTOSO' },
          view: {
            id,
            callback_id: 'set_tenant',
            private_metadata: opened['private_metadata'],
            state: { values: { tenant: { value: { type: 'plain_text_input', value: tenant } } } },
          },
        }),
      );
    assert.equal(await submit('litware', 'V1'), 200);
    assert.equal((await h.core.store.requests.get(litware.id))?.tenantDomain, undefined, 'refused, nothing stored');
    assert.equal(await submit('LitwareInc.onmicrosoft.com', 'V2'), 200);
    assert.equal((await h.core.store.requests.get(litware.id))?.tenantDomain, 'litwareinc.onmicrosoft.com');

    await h.control('customers', { companyName: 'LWI Beteiligungen AG', defaultDomain: 'litwareinc.onmicrosoft.com' });
    await h.settle();
    const now = await h.core.store.requests.get(litware.id);
    assert.equal(now?.status, 'accepted');
    assert.ok(now.timeline.some((t) => t.type === 'status' && t.note === 'matched by domain'));
  });
});

describe('the person’s hand, refused and by the reconciler alone', function () {
  it('refuses a click from someone outside REQUESTERS and changes nothing', async () => {
    const h = await watchHarness({ REQUESTERS: 'U0ELSE' });
    try {
      // requests are made by the core on someone's behalf (REQUESTERS blocks the fixture's user from typing them)
      const { createRequest } = await import('../../src/core/commands/request.js');
      await createRequest(
        h.core,
        {
          platform: 'slack',
          tenant: 'T0CONTOSO',
          user: { id: 'U0ELSE', name: 'someone' },
          conversation: { id: 'C0SALES', kind: 'channel' },
          text: '',
          cardFirst: false,
        } as never,
        { customerName: 'Northwind', contactEmail: 'it@northwind.com', domain: '', leftover: '' },
      );
      const [northwind] = await h.core.store.requests.list({ limit: 5 });
      assert.ok(northwind);
      const accepted = await h.control('customers', { companyName: 'Northwind Traders Holding GmbH' });
      await h.settle();
      const [post] = slackAcceptancePosts(h);
      assert.ok(post);
      const [button] = buttonsOf(post.blocks);
      assert.ok(button);
      assert.equal(await slackClick(h, post.ts, 'link_acceptance', button.value, 'trigger-refused'), 200);
      await h.settle();
      const reply = h.slack.of('response_url').find((c) => JSON.stringify(c.body).includes('requesters'));
      assert.ok(reply, 'the person who clicked is told why');
      assert.equal((await h.core.store.requests.get(northwind.id))?.status, 'draft', 'nothing changed');
      assert.equal(
        (await loadAcceptance(h.core.store, String(accepted.json['tenantId'])))?.decided,
        undefined,
        'still waiting for a person',
      );
    } finally {
      await h.stop();
    }
  });

  it('webhooks off: the reconciler sees the GDAP approval and the acceptance, and matches by tenant', async () => {
    const h = await watchHarness();
    try {
      await h.teams(teamsFixture('installation-update-add', { serviceUrl: h.connector.url }));
      // the reconciler's first run records the partner's existing book; this is a later one
      assert.equal(await h.app.app.scheduler.runNow('reconciler'), true);
      const fabrikam = await h.slackRequest('request relationship Fabrikam it@fabrikam.com');
      assert.equal((await h.control('webhooks', { enabled: false })).status, 200);
      const approved = await h.control(`gdap/${fabrikam.gdapRelationshipId ?? ''}/approve`, {
        companyName: 'Blue Yonder Airlines Group',
      });
      const tenantId = String((approved.json['customer'] as Json)['tenantId']);
      assert.equal((await h.control('customers', { tenantId })).status, 201);
      h.connector.reset();
      h.slack.reset();
      assert.equal(await h.app.app.scheduler.runNow('reconciler'), true);
      await h.settle();
      const now = await h.core.store.requests.get(fabrikam.id);
      assert.equal(now?.status, 'accepted');
      assert.equal(now.customerTenantId, tenantId);
      assert.equal(now.adminAccess, 'granted');
      // one notice per change and channel; an acceptance handled before the approval was asked about, then decided
      const notices = h.teamsNotices();
      assert.equal(notices.filter((n) => n === 'Admin access (GDAP) approved').length, 1);
      assert.equal(notices.length, 2, JSON.stringify(notices));
      await h.app.app.scheduler.runNow('reconciler');
      await h.settle();
      assert.equal(h.teamsNotices().length, 2, 'a second run adds nothing');
    } finally {
      await h.stop();
    }
  });
});
