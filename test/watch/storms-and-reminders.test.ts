/**
 * A 429 storm from the emulator (the reconciler run fails cleanly and the next one notifies once; a GDAP request
 * that cannot be made leaves a card with a note and a retry), and the reminder job (once per threshold).
 */
import { strict as assert } from 'node:assert';
import { markSent } from '../../src/core/actions/mark-sent.js';
import { retryAdminAccess } from '../../src/core/actions/retry-admin-access.js';
import { ManualClock } from '../support/core-harness.js';
import { eventually } from '../support/slack.js';
import { TEAM, watchHarness } from '../support/watch.js';

const DAY = 24 * 60 * 60 * 1000;

describe('Partner Center throttling and reminders', function () {
  it('a 429 storm fails the reconciler run without changing anything; the next run notifies once', async () => {
    const h = await watchHarness();
    try {
      const contoso = await h.teamsRequest();
      await h.control('webhooks', { enabled: false });
      await h.control('customers', { companyName: 'Contoso Ltd', domain: 'contoso.com' });
      h.connector.reset();
      h.slack.reset();
      await h.control('throttle', { count: 40, retryAfterSeconds: 0 });
      await h.app.app.scheduler.runNow('reconciler');
      await h.settle();
      assert.deepEqual([...h.teamsNotices(), ...h.slackNotices()], [], 'nothing notified during the storm');
      assert.equal((await h.core.store.requests.get(contoso.id))?.status, 'draft', 'nothing changed');
      assert.ok(
        h.app.logs
          .entries()
          .some((e) => e.msg === 'job failed; it will run again at its next scheduled time' && e['level'] === 40),
      );
      await h.control('throttle', { count: 0 });
      await h.app.app.scheduler.runNow('reconciler');
      await h.settle();
      assert.equal(h.teamsNotices().length, 1);
      assert.equal(h.slackNotices().length, 1);
    } finally {
      await h.stop();
    }
  });

  it('when GDAP cannot be requested, the card says so and offers a retry that works later', async () => {
    const h = await watchHarness();
    try {
      await h.control('throttle', { count: 40, retryAfterSeconds: 0 });
      const request = await h.slackRequest();
      await h.control('throttle', { count: 0 });
      assert.equal(request.adminAccess, 'not-requested');
      assert.match(request.adminAccessProblem ?? '', /could not be requested.*throttling/);
      // the card went out first; the failure shows on it once admin access was asked for
      const card = await eventually(() => h.slack.of('chat.update')[0], 'the card updated');
      assert.ok(JSON.stringify(card.body).includes('retry_admin_access'), 'the card has a retry button');
      assert.ok(JSON.stringify(card.body).includes('could not be requested'), 'and says why');
      const tenant = request.scope.slice('slack:'.length);
      const retried = await retryAdminAccess(h.core, {
        platform: 'slack',
        tenant,
        user: { id: request.requester.id, name: request.requester.name },
        requestId: request.id,
      });
      assert.equal(retried.changed, true);
      assert.equal(retried.request.adminAccess, 'pending');
      assert.equal(retried.request.adminAccessProblem, undefined);
      assert.ok(retried.request.draft.body.includes(retried.request.gdapLink ?? '!'), 'the link is in the draft now');
      const again = await retryAdminAccess(h.core, {
        platform: 'slack',
        tenant,
        user: { id: 'U0ANA', name: 'Ana' },
        requestId: request.id,
      });
      assert.equal(again.changed, false, 'a second click changes nothing');
      assert.equal(h.app.app.emulator?.state.relationships.size, 1, 'one relationship');
      assert.equal((await h.core.store.requests.list({ limit: 5 })).length, 1, 'one request');
    } finally {
      await h.stop();
    }
  });

  it('reminds once after REMINDER_AFTER_DAYS in the requesting conversation, warns before GDAP ends, expires at 90 days', async () => {
    const clock = new ManualClock(Date.now());
    const h = await watchHarness({ REMINDER_AFTER_DAYS: '3' }, { clock });
    try {
      const request = await h.teamsRequest();
      h.connector.reset();
      h.slack.reset();
      clock.advance(2 * DAY);
      await h.app.app.scheduler.runNow('reminders');
      await h.settle();
      assert.equal(h.connector.posts().length, 0, 'not yet');
      clock.advance(1 * DAY + 1000);
      await h.app.app.scheduler.runNow('reminders');
      await h.settle();
      const reminders = h.connector.posts().filter((p) => p.body['summary'] === 'Invitation not answered yet');
      assert.equal(reminders.length, 1);
      assert.equal(reminders[0]?.conversationId, request.conversationId, 'in the conversation the request came from');
      assert.equal(h.slackNotices().length, 0, 'reminders do not go to every channel');
      clock.advance(1 * DAY);
      await h.app.app.scheduler.runNow('reminders');
      await h.settle();
      assert.equal(h.connector.posts().length, 1, 'once per threshold, not every day');

      // admin access granted; 23 days before it ends: the 30-day warning, then the 7-day one
      await h.control(`gdap/${request.gdapRelationshipId ?? ''}/approve`);
      await h.settle();
      const ends = Date.parse((await h.core.store.requests.get(request.id))?.gdapEndsAt ?? '');
      assert.ok(ends > clock.now().getTime());
      h.connector.reset();
      clock.advance(ends - clock.now().getTime() - 23 * DAY);
      await h.app.app.scheduler.runNow('reminders');
      await h.settle();
      clock.advance(17 * DAY);
      await h.app.app.scheduler.runNow('reminders');
      await h.app.app.scheduler.runNow('reminders');
      await h.settle();
      const expiring = h.connector
        .posts()
        .filter((p) => p.conversationId === TEAM && p.body['summary'] === 'Admin access (GDAP) expires soon');
      assert.equal(expiring.length, 2, '30-day and 7-day warnings, once each');
    } finally {
      await h.stop();
    }
  });

  it('expires a sent invitation nobody answered in 90 days and tells every channel', async () => {
    const clock = new ManualClock(Date.now());
    const h = await watchHarness({}, { clock });
    try {
      const request = await h.teamsRequest();
      await markSent(h.core, {
        platform: 'teams',
        tenant: request.scope.slice('teams:'.length),
        user: { id: request.requester.id, name: 'Ana' },
        requestId: request.id,
      });
      h.connector.reset();
      clock.advance(90 * DAY + 1000);
      await h.app.app.scheduler.runNow('reminders');
      await h.settle();
      assert.equal((await h.core.store.requests.get(request.id))?.status, 'expired');
      assert.deepEqual(h.teamsNotices(), ['Invitation expired']);
      assert.equal(h.slackNotices().length, 1);
      assert.ok(
        h.connector.updates().some((u) => u.activityId === request.card?.messageId),
        'card updated',
      );
    } finally {
      await h.stop();
    }
  });
});
