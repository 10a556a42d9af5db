/**
 * The relationship's terms as they really are: auto-extend asked for when configured (and refused at start-up with
 * Global Administrator), turned on later by the customer, a new end date — the reconciler re-reads them and the
 * expiry warnings follow. A relationship Microsoft cleaned up while pending ends the request's admin access as
 * expired, with a notification.
 */
import { strict as assert } from 'node:assert';
import { loadConfig } from '../../src/config.js';
import type { RelationshipRequest } from '../../src/core/model.js';
import { ManualClock } from '../support/core-harness.js';
import { TEAM, watchHarness, type WatchHarness } from '../support/watch.js';

const DAY = 24 * 60 * 60 * 1000;
const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

describe('GDAP terms: auto-extend, end dates, cleaned-up requests', function () {
  let h: WatchHarness;
  let clock: ManualClock;
  const lines: string[] = [];
  afterEach(async () => {
    await h.stop();
  });
  after(() => {
    // eslint-disable-next-line no-console -- what happened is what this suite shows
    console.log(`      terms:\n${lines.map((l) => `        ${l}`).join('\n')}`);
  });
  const start = async (env: Record<string, string> = {}) => {
    clock = new ManualClock(Date.now());
    h = await watchHarness(env, { clock });
  };
  const stored = async (id: string) => (await h.core.store.requests.get(id)) as RelationshipRequest;
  const expiring = () => h.teamsNotices().filter((n) => n === 'Admin access (GDAP) expires soon').length;
  /** 23 days before the end: the 30-day warning is due unless the relationship extends itself */
  const nearTheEnd = async (request: RelationshipRequest) => {
    clock.advance(Date.parse((await stored(request.id)).gdapEndsAt ?? '') - clock.now().getTime() - 23 * DAY);
    await h.app.app.scheduler.runNow('reminders');
    await h.settle();
  };

  it('GDAP_AUTO_EXTEND=true asks for P180D; no expiry warning for a relationship that extends itself', async () => {
    await start({ GDAP_AUTO_EXTEND: 'true' });
    const request = await h.teamsRequest();
    const emulated = h.app.app.emulator?.state.relationships.get(request.gdapRelationshipId ?? '');
    assert.equal(emulated?.autoExtendDuration, 'P180D');
    await h.control(`gdap/${request.gdapRelationshipId ?? ''}/approve`);
    await h.settle();
    assert.equal((await stored(request.id)).gdapAutoExtends, true);
    await nearTheEnd(request);
    assert.equal(expiring(), 0, 'no false "expires soon"');
    lines.push(
      'GDAP_AUTO_EXTEND=true → created with autoExtendDuration P180D → approved → 23 days before the end: no warning',
    );
  });

  it('the customer turns auto-extend on later and the end date moves: the reconciler re-reads both', async () => {
    await start();
    const request = await h.teamsRequest();
    await h.control(`gdap/${request.gdapRelationshipId ?? ''}/approve`);
    await h.settle();
    const before = await stored(request.id);
    assert.equal(before.gdapAutoExtends, false);
    assert.equal(
      (await h.control(`gdap/${request.gdapRelationshipId ?? ''}/auto-extend`, { enabled: true })).status,
      200,
    );
    const emulated = h.app.app.emulator?.state.relationships.get(request.gdapRelationshipId ?? '');
    assert.ok(emulated);
    emulated.endDateTime = new Date(Date.parse(before.gdapEndsAt ?? '') + 180 * DAY).toISOString();
    await h.app.app.scheduler.runNow('reconciler');
    await h.settle();
    const after = await stored(request.id);
    assert.equal(after.gdapAutoExtends, true);
    assert.equal(after.gdapEndsAt, emulated.endDateTime, 'the new end date');
    await nearTheEnd(request);
    assert.equal(expiring(), 0);
    lines.push(
      `auto-extend turned on by the customer → reconciler: gdapAutoExtends true, ends ${after.gdapEndsAt ?? ''} → no warning`,
    );

    // and off again: the warning comes back, for the end date as it is now
    await h.control(`gdap/${request.gdapRelationshipId ?? ''}/auto-extend`, { enabled: false });
    await h.app.app.scheduler.runNow('reconciler');
    await h.settle();
    await h.app.app.scheduler.runNow('reminders');
    await h.settle();
    assert.equal(expiring(), 1, 'the 30-day warning, once auto-extend is off');
  });

  it('a request Microsoft cleaned up while pending ends as expired, with one notification', async () => {
    await start();
    const request = await h.teamsRequest();
    await h.settle(); // locked for approval (Graph locks a moment after answering)
    assert.equal((await h.control(`gdap/${request.gdapRelationshipId ?? ''}/cleanup`)).status, 200);
    await h.app.app.scheduler.runNow('reconciler');
    await h.settle();
    assert.equal((await stored(request.id)).adminAccess, 'pending', 'too new to be gone: maybe not listed yet');
    clock.advance(2 * 60 * 60 * 1000);
    await h.app.app.scheduler.runNow('reconciler');
    await h.settle();
    await h.app.app.scheduler.runNow('reconciler');
    await h.settle();
    assert.equal((await stored(request.id)).adminAccess, 'expired');
    const notices = h.connector
      .posts()
      .filter((p) => p.conversationId === TEAM && p.body['summary'] === 'Admin access (GDAP) expired');
    assert.equal(notices.length, 1);
    lines.push(
      'pending relationship removed by Microsoft → reconciler (an hour on) → admin access expired, notified once',
    );
  });
});

describe('GDAP terms: configuration', () => {
  it('refuses auto-extend with Global Administrator at start-up', () => {
    assert.throws(
      () => loadConfig({ GDAP_ROLES: GLOBAL_ADMINISTRATOR, GDAP_AUTO_EXTEND: 'true' }),
      /GDAP_AUTO_EXTEND: Microsoft refuses auto-extend for relationships that include Global Administrator/,
    );
  });
});
