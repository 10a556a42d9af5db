/**
 * After admin access ends (revoked, expired) the dead approval link leaves the card and the draft, and "Request admin
 * access again" — on the card and under the notification — asks with a new relationship and link; the timeline keeps
 * both. Before an expiry the warning offers the same (a renewal: the old rights keep working meanwhile). An approval
 * for a cancelled request comes with "End admin access", which terminates it. Prints what happened.
 */
import { strict as assert } from 'node:assert';
import { teamsFixture } from '../support/teams.js';
import type { RelationshipRequest } from '../../src/core/model.js';
import { ManualClock } from '../support/core-harness.js';
import { eventually } from '../support/eventually.js';
import { slackClick, TEAM, watchHarness, type WatchHarness } from '../support/watch.js';

const DAY = 24 * 60 * 60 * 1000;

describe('admin access again: dead links dropped, a new relationship on request', function () {
  let h: WatchHarness;
  let clock: ManualClock;
  const lines: string[] = [];
  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    h = await watchHarness({}, { clock });
  });
  afterEach(async () => {
    await h.stop();
  });
  after(() => {
    // eslint-disable-next-line no-console -- what happened is what this suite shows
    console.log(`      again:\n${lines.map((l) => `        ${l}`).join('\n')}`);
  });

  const stored = async (id: string) => (await h.core.store.requests.get(id)) as RelationshipRequest;
  const relationshipOf = (id: string | undefined) => h.app.app.emulator?.state.relationships.get(id ?? '');
  const lastCard = () => JSON.stringify(h.slack.of('chat.update').at(-1)?.body);
  const approve = async (request: RelationshipRequest) => {
    assert.equal((await h.control(`gdap/${request.gdapRelationshipId ?? ''}/approve`)).status, 200);
    await h.settle();
  };
  /** what only the person who clicked was told (through the click's response_url), containing `text` */
  const toClicker = (text: string) =>
    h.slack
      .of('response_url')
      .map((r) => JSON.stringify(r.body))
      .find((b) => b.includes(text));
  /** a Slack button click, and the job it started run */
  const click = async (request: RelationshipRequest, actionId: string, ts: string, trigger: string) => {
    assert.equal(await slackClick(h, ts, actionId, request.id, trigger, request.conversationId), 200);
    await h.settle();
  };

  it('revoked → the link leaves the card and the draft → Request admin access again → a new link; the timeline keeps both', async () => {
    const request = await h.slackRequest();
    const firstLink = request.gdapLink ?? '';
    assert.ok(request.draft.body.includes(firstLink), 'the draft carries the first link');
    await approve(request);
    h.slack.reset();
    assert.equal((await h.control(`gdap/${request.gdapRelationshipId ?? ''}/terminate`)).status, 200);
    await h.settle();

    const revoked = await stored(request.id);
    assert.equal(revoked.adminAccess, 'revoked');
    assert.equal(revoked.gdapLink, undefined, 'no dead link on the request');
    assert.ok(!revoked.draft.body.includes(firstLink), 'nor in the draft');
    assert.ok(!revoked.draft.body.includes('granular delegated admin privileges'), 'the GDAP paragraph went with it');
    assert.ok(revoked.draft.body.includes(revoked.resellerLink), 'the reseller link stays');
    const card = lastCard();
    assert.ok(!card.includes(firstLink), `the card shows no dead link: ${card}`);
    assert.ok(card.includes('request_admin_again'), 'the card offers to ask again');
    const notice = JSON.stringify(h.slack.of('chat.postMessage').find((m) => m.body['metadata'])?.body);
    assert.ok(notice.includes('notice_request_admin_again'), `the notification offers it too: ${notice}`);
    lines.push(`approved → customer terminates → link dropped from card and draft; card and notice offer "again"`);

    h.slack.reset();
    await click(revoked, 'request_admin_again', revoked.card?.messageId ?? '', 'trigger-again');
    const again = await stored(request.id);
    assert.equal(again.adminAccess, 'pending');
    assert.ok(again.gdapLink && again.gdapLink !== firstLink, 'a new approval link');
    assert.notEqual(again.gdapRelationshipId, request.gdapRelationshipId);
    assert.equal(relationshipOf(again.gdapRelationshipId)?.status, 'approvalPending');
    assert.equal(relationshipOf(again.gdapRelationshipId)?.displayName, `Fabrikam GmbH ${request.id}-2`);
    assert.ok(again.draft.body.includes(again.gdapLink), 'the draft carries the new link');
    assert.ok(lastCard().includes(again.gdapLink), 'the card shows it');
    const relationships = again.timeline.flatMap((t) =>
      t.type === 'adminAccess' && t.to === 'pending' ? [t.relationshipId] : [],
    );
    assert.deepEqual(relationships, [request.gdapRelationshipId, again.gdapRelationshipId], 'both in the timeline');
    lines.push(
      `Request admin access again → new relationship "${relationshipOf(again.gdapRelationshipId)?.displayName ?? ''}", new link in card and draft; timeline: ${relationships.length} relationships`,
    );

    // a second click (or one on an old copy of the card) asks nothing more
    await click(again, 'request_admin_again', again.card?.messageId ?? '', 'trigger-again-2');
    assert.equal((await stored(request.id)).version, again.version);
    assert.equal(h.app.app.emulator?.state.relationships.size, 2);

    // made for the customer Microsoft confirmed: another tenant cannot approve it
    const linked = again.customerTenantId ?? '';
    assert.equal(relationshipOf(again.gdapRelationshipId)?.customer?.tenantId, linked, 'created for that customer');
    const stranger = await h.control(`gdap/${again.gdapRelationshipId ?? ''}/approve`, {
      tenantId: '0badc0de-0000-4000-8000-000000000001',
    });
    assert.equal(stranger.status, 400);
    assert.match(JSON.stringify(stranger.json), /another tenant cannot approve it/);

    await approve(again);
    const granted = await stored(request.id);
    assert.equal(granted.customerTenantId, linked);
    assert.equal(granted.adminAccess, 'granted');
    assert.ok(granted.gdapEndsAt, 'the new relationship’s end date');
    lines.push(`customer approves the new link → granted again (ends ${granted.gdapEndsAt ?? ''})`);
  });

  it('the 30-day warning offers a renewal from the notice; the old rights keep working until the new ones are approved', async () => {
    const request = await h.slackRequest();
    await approve(request);
    const approved = await stored(request.id);
    assert.ok(!lastCard().includes('request_admin_again'), 'not offered while far from the end');
    clock.advance(Date.parse(approved.gdapEndsAt ?? '') - clock.now().getTime() - 20 * DAY);
    h.slack.reset();
    await h.app.app.scheduler.runNow('reminders');
    await h.settle();
    const warning = h.slack
      .of('chat.postMessage')
      .find((m) => String(m.body['text']).startsWith('Admin access (GDAP) expires soon'));
    assert.ok(warning, 'the 30-day warning');
    assert.ok(JSON.stringify(warning.body).includes('notice_request_admin_again'), 'with the button');

    h.slack.reset();
    await click(approved, 'notice_request_admin_again', 'notice.1', 'trigger-renew');
    const renewing = await stored(request.id);
    assert.equal(renewing.adminAccess, 'pending');
    assert.notEqual(renewing.gdapRelationshipId, approved.gdapRelationshipId);
    assert.equal(relationshipOf(approved.gdapRelationshipId)?.status, 'active', 'the old relationship still works');
    assert.deepEqual(
      (renewing.notices ?? []).filter((n) => n.startsWith('expiring-')),
      [],
      'the expiry warnings are for the new relationship again',
    );
    assert.ok(!h.slack.of('chat.update').some((u) => u.body['ts'] === 'notice.1'), 'the notification stays as it was');
    const card = lastCard();
    assert.ok(card.includes('Renewal requested'), `the card says the old rights keep working: ${card}`);
    assert.ok(card.includes(renewing.gdapLink ?? 'no link'));
    lines.push(
      `20 days before the end: "expires soon" + button → renewal: new link; old relationship still ${relationshipOf(approved.gdapRelationshipId)?.status ?? ''}`,
    );

    // the old relationship's end is no news for a request that has moved on
    await h.control(`gdap/${approved.gdapRelationshipId ?? ''}/expire`);
    await h.settle();
    assert.equal((await stored(request.id)).adminAccess, 'pending');
    assert.equal(h.slackNotices().filter((n) => n.startsWith('Admin access (GDAP) expired')).length, 0);
  });

  it('Teams: the button under an expiry notice asks again; the invoke answers with the card and its new link', async () => {
    const request = await h.teamsRequest();
    await approve(request);
    await h.control(`gdap/${request.gdapRelationshipId ?? ''}/expire`);
    await h.settle();
    const notice = h.connector
      .posts()
      .find((p) => p.conversationId === TEAM && p.body['summary'] === 'Admin access (GDAP) expired');
    assert.ok(notice, 'the expiry notification');
    assert.ok(JSON.stringify(notice.body).includes('"verb":"requestAdminAgain"'), 'with the button');
    const expired = await stored(request.id);
    assert.equal(expired.gdapLink, undefined);

    const res = await fetch(new URL('/api/messages', h.app.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...teamsFixture('invoke-action-verb', {
          serviceUrl: h.connector.url,
          replyToId: 'notification-activity',
          requestId: request.id,
          subject: '',
          body: '',
        }),
        id: 'again-from-notice',
        value: {
          action: {
            type: 'Action.Execute',
            verb: 'requestAdminAgain',
            data: { action: 'requestAdminAgain', requestId: request.id, from: 'notification' },
          },
          trigger: 'manual',
        },
      }),
    });
    assert.equal(res.status, 200);
    const answer = JSON.stringify(await res.json());
    const again = await stored(request.id);
    assert.equal(again.adminAccess, 'pending');
    assert.ok(again.gdapLink && answer.includes(again.gdapLink), `the clicker sees the new link: ${answer}`);
    await eventually(
      () => h.connector.updates().some((u) => JSON.stringify(u.body).includes(again.gdapLink ?? 'none')),
      'the request card updated',
    );
    assert.ok(
      !h.connector.updates().some((u) => u.activityId === 'notification-activity'),
      'the notification stays as it was',
    );
    lines.push('Teams: expired → button under the notice → new link in the invoke answer and on the card');
  });

  it('an approval for a cancelled request comes with "End admin access", which terminates it', async () => {
    const request = await h.slackRequest();
    await h.settle();
    await h.slackCommand(`cancel ${request.id}`);
    await h.settle();
    h.slack.reset();
    await approve(request);
    const approved = await stored(request.id);
    assert.equal(approved.adminAccess, 'granted');
    const notice = JSON.stringify(h.slack.of('chat.postMessage').find((m) => m.body['metadata'])?.body);
    assert.ok(notice.includes('notice_terminate_admin_access'), `the notice offers to end it: ${notice}`);
    assert.ok(lastCard().includes('terminate_admin_access'), 'so does the card');

    h.slack.reset();
    await click(approved, 'notice_terminate_admin_access', 'notice.2', 'trigger-end');
    const after = await stored(request.id);
    assert.equal(after.adminAccess, 'revoked');
    assert.equal(relationshipOf(request.gdapRelationshipId)?.status, 'terminated');
    assert.equal(after.gdapLink, undefined);
    await eventually(() => toClicker('relationship was terminated'), 'the clicker is told');
    assert.ok(!lastCard().includes('terminate_admin_access'), 'nothing left to end');
    lines.push('cancelled, then approved anyway → "End admin access" under the notice → relationship terminated');

    // again: nothing to end, said so, nothing changes
    h.slack.reset();
    await click(after, 'notice_terminate_admin_access', 'notice.2', 'trigger-end-2');
    assert.equal((await stored(request.id)).version, after.version);
  });

  it('asking again is refused with a reason where it does not apply', async () => {
    const request = await h.slackRequest();
    h.slack.reset();
    await click(request, 'request_admin_again', request.card?.messageId ?? '', 'trigger-early');
    // pending already: a stale click changes nothing and says nothing
    assert.equal((await stored(request.id)).version, request.version);
    await approve(request);
    const granted = await stored(request.id);
    h.slack.reset();
    await click(granted, 'request_admin_again', granted.card?.messageId ?? '', 'trigger-granted');
    const refusal = await eventually(() => toClicker('cannot ask for admin access again'), 'the refusal');
    assert.ok(refusal.includes('active and not about to expire'), refusal);
    assert.equal((await stored(request.id)).version, granted.version, 'nothing changed');
    assert.equal(h.app.app.emulator?.state.relationships.size, 1);
  });
});
