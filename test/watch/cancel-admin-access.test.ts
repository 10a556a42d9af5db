/**
 * Cancelling a request ends its admin access the way Graph allows for the relationship's status: deleted while
 * still `created`, terminated while active; while it waits for the customer Graph offers nothing, and the reply and
 * the card say so. An approval that arrives for a cancelled request is notified as such, and nothing is assigned.
 */
import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { DEFAULT_GDAP_ROLES } from '../../src/config.js';
import type { RelationshipRequest } from '../../src/core/model.js';
import { eventually } from '../support/eventually.js';
import { watchHarness, type WatchHarness } from '../support/watch.js';

const GROUP = '0b5c8f4e-3333-4a8e-9c3e-5a3b2f9d0a03';

describe('cancel ends admin access as far as Graph allows', function () {
  let h: WatchHarness;
  const lines: string[] = [];
  beforeEach(async () => {
    h = await watchHarness({ GDAP_ACCESS_ASSIGNMENTS: `${GROUP}=${DEFAULT_GDAP_ROLES[0]}` });
  });
  afterEach(async () => {
    await h.stop();
  });
  after(() => {
    // eslint-disable-next-line no-console -- what happened is what this suite shows
    console.log(`      cancel:\n${lines.map((l) => `        ${l}`).join('\n')}`);
  });

  const stored = async (id: string) => (await h.core.store.requests.get(id)) as RelationshipRequest;
  /** the command's answer, posted in the conversation for everyone (a cancel is news to the channel) */
  const reply = async (id: string) =>
    eventually(
      () =>
        h.slack
          .of('chat.postMessage')
          .map((m) => String(m.body['text']))
          .find((t) => t.startsWith(`Request ${id} `)),
      'the reply',
    );
  const relationshipStatus = (r: RelationshipRequest) =>
    h.app.app.emulator?.state.relationships.get(r.gdapRelationshipId ?? '')?.status ?? 'deleted';

  it('waiting for the customer: the link cannot be withdrawn, the reply and the card say so; a late approval is flagged', async () => {
    const request = await h.slackRequest();
    await h.settle();
    assert.equal(relationshipStatus(request), 'approvalPending');
    h.slack.reset();
    assert.equal(await h.slackCommand(`cancel ${request.id}`), 200);
    const answer = await reply(request.id);
    assert.match(answer, /is cancelled\. The admin access \(GDAP\) approval link stays valid: Microsoft offers no way/);
    await h.settle();
    const cancelled = await stored(request.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.adminAccess, 'pending');
    const card = JSON.stringify(h.slack.of('chat.update').at(-1)?.body);
    assert.ok(card.includes('approval link stays valid'), `the card changed in place: ${card}`);
    assert.ok(card.includes('Cancelled'), card);
    lines.push(`approvalPending → cancel: relationship ${relationshipStatus(cancelled)}; reply "${answer}"`);

    h.slack.reset();
    await h.control(`gdap/${request.gdapRelationshipId ?? ''}/approve`);
    await h.settle();
    const notice = JSON.stringify(h.slack.of('chat.postMessage').map((m) => m.body));
    assert.ok(notice.includes('This request was cancelled, but the customer approved admin access anyway'), notice);
    assert.equal(h.app.app.emulator?.state.accessAssignments.size, 0, 'nothing assigned for a cancelled request');
    lines.push(
      'customer approves anyway → "Admin access (GDAP) approved": "This request was cancelled, but …"; no assignments',
    );
  });

  it('still being created (the lock not done): deleted with its ETag', async () => {
    await h.control('realism', { lockDelayMs: 60_000 });
    const request = await h.slackRequest();
    assert.equal(relationshipStatus(request), 'created');
    h.slack.reset();
    await h.slackCommand(`cancel ${request.id}`);
    const answer = await reply(request.id);
    assert.match(answer, /withdrawn before the customer could approve it/);
    const after = await stored(request.id);
    assert.equal(after.adminAccess, 'revoked');
    assert.equal(after.timeline.at(-1)?.note, 'withdrawn with the cancelled request');
    assert.equal(relationshipStatus(after), 'deleted');
    lines.push(`created → cancel: relationship deleted; reply "${answer}"`);
  });

  it('the lock lands between reading and deleting: the bot reads again and says the link stays', async () => {
    await h.control('realism', { lockDelayMs: 60_000 });
    const request = await h.slackRequest();
    const relationship = h.app.app.emulator?.state.relationships.get(request.gdapRelationshipId ?? '');
    assert.equal(relationship?.status, 'created');
    const realFetch = globalThis.fetch;
    // fault injection at the HTTP port: Graph locks the relationship just before our DELETE arrives
    const stub = sinon.stub(globalThis, 'fetch').callsFake(async (input, init) => {
      if (init?.method === 'DELETE' && relationship.status === 'created') {
        relationship.status = 'approvalPending';
        relationship.lastModifiedDateTime = new Date(Date.now() + 1000).toISOString();
      }
      return realFetch(input, init);
    });
    try {
      h.slack.reset();
      await h.slackCommand(`cancel ${request.id}`);
      // answered at the first attempt (not after a retry that finds it already cancelled)
      assert.match(await reply(request.id), /is cancelled\. The admin access \(GDAP\) approval link stays valid/);
    } finally {
      stub.restore();
    }
    assert.equal(relationship.status, 'approvalPending', 'not deleted with a stale ETag');
    assert.equal((await stored(request.id)).adminAccess, 'pending');
  });

  it('approved and active: terminated, and its assignments go with it', async () => {
    const request = await h.slackRequest();
    await h.control(`gdap/${request.gdapRelationshipId ?? ''}/approve`);
    await h.settle();
    assert.equal((await stored(request.id)).accessAssignments?.[0]?.status, 'active');
    h.slack.reset();
    await h.slackCommand(`cancel ${request.id}`);
    const answer = await reply(request.id);
    assert.match(answer, /relationship was terminated/);
    await h.settle();
    const after = await stored(request.id);
    assert.equal(after.adminAccess, 'revoked');
    assert.equal(relationshipStatus(after), 'terminated');
    assert.deepEqual(
      [...(h.app.app.emulator?.state.accessAssignments.values() ?? [])].map((a) => a.status),
      ['deleted'],
    );
    lines.push(`active → cancel: relationship ${relationshipStatus(after)}, assignments deleted; reply "${answer}"`);
  });
});
