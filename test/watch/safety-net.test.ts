/**
 * The safety net behind a card posted before admin access was asked for: a follow-up that never finished (the process
 * died) is completed from the outbox two minutes later; one that did finish leaves it nothing to do.
 */
import { strict as assert } from 'node:assert';
import { attachCard } from '../../src/core/actions/attach-card.js';
import { handleCommand } from '../../src/core/dispatch.js';
import { ManualClock, input } from '../support/core-harness.js';
import { teamsFixture } from '../support/teams.js';
import { TEAM, watchHarness } from '../support/watch.js';

const MINUTES_3 = 3 * 60_000;

describe('admin access safety net', function () {
  it('completes a request whose follow-up never ran: admin access asked for, the posted card updated', async () => {
    const clock = new ManualClock(Date.now());
    const h = await watchHarness({}, { clock });
    try {
      await h.teams(teamsFixture('installation-update-add', { serviceUrl: h.connector.url }));
      // what the Teams adapter does up to posting the card — then the process "dies" before the follow-up
      const reply = await handleCommand(h.core, {
        ...input('request relationship Contoso Ltd admin@contoso.com'),
        conversation: { id: TEAM, kind: 'channel' },
        cardFirst: true,
      });
      assert.ok(reply.kind === 'card' && reply.card === 'request' && reply.followUp);
      const requestId = reply.data.requestId;
      await attachCard(h.core, requestId, { platform: 'teams', conversationId: TEAM, messageId: 'card-1' });
      await h.settle();
      assert.equal((await h.core.store.requests.get(requestId))?.adminAccess, 'not-requested', 'not before it is due');

      clock.advance(MINUTES_3);
      await h.settle();
      const after = await h.core.store.requests.get(requestId);
      assert.equal(after?.adminAccess, 'pending');
      assert.ok(after.gdapLink && after.draft.body.includes(after.gdapLink), 'the link in the draft');
      const update = h.connector.updates().find((u) => u.activityId === 'card-1');
      assert.ok(update, 'the posted card was updated');
      assert.ok(JSON.stringify(update.body).includes(after.gdapLink));
      assert.equal(h.app.app.emulator?.state.relationships.size, 1);
    } finally {
      await h.stop();
    }
  });

  it('after a follow-up that finished, changes nothing', async () => {
    const clock = new ManualClock(Date.now());
    const h = await watchHarness({}, { clock });
    try {
      const request = await h.teamsRequest();
      assert.equal(request.adminAccess, 'pending');
      const updates = h.connector.updates().length;
      clock.advance(MINUTES_3);
      await h.settle();
      assert.equal((await h.core.store.requests.get(request.id))?.version, request.version, 'the request unchanged');
      assert.equal(h.connector.updates().length, updates, 'no card update');
      assert.equal(h.app.app.emulator?.state.relationships.size, 1, 'one relationship');
      assert.equal(
        (await h.core.store.outbox.get(`admin-access:${request.id}`))?.state,
        'delivered',
        'the item completed',
      );
    } finally {
      await h.stop();
    }
  });
});
