/**
 * A new request's card goes out at once; admin access (GDAP, two Graph calls) is asked for right after, and the same
 * card is updated in place — with the approval link, or with why it failed and a retry button.
 */
import { strict as assert } from 'node:assert';
import { cancelRequest } from '../../../src/core/actions/cancel-request.js';
import { runFollowUp } from '../../../src/core/card-first.js';
import { handleCommand } from '../../../src/core/dispatch.js';
import { cardOf, stringsOf, teamsHarness } from '../../support/teams.js';

type Harness = Awaited<ReturnType<typeof teamsHarness>>;
const ASK = 'request relationship Contoso Ltd admin@contoso.com';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const actionsOf = (card: Record<string, unknown>) =>
  JSON.stringify(card.actions ?? [])
    .match(/"verb":"(\w+)"/g)
    ?.map((v) => v.slice(8, -1)) ?? [];

describe('Teams: card first, admin access after', function () {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  async function ask() {
    const res = await h.send(h.activity('personal-message', {}, { text: ASK }));
    assert.equal(res.status, 200);
    const [request] = await h.core.store.requests.list({ limit: 5 });
    assert.ok(request);
    return request;
  }

  it('posts the card saying admin access is coming, then updates that card with the approval link', async () => {
    h = await teamsHarness();
    const request = await ask();
    const [post, ...morePosts] = h.connector.posts();
    assert.ok(post);
    assert.equal(morePosts.length, 0);
    const first = stringsOf(cardOf(post.body));
    assert.ok(first.includes('Being requested…'));
    assert.ok(!first.some((s) => s.includes('granularAdminRelationships')), 'no GDAP link yet');
    const [update, ...moreUpdates] = h.connector.updates();
    assert.ok(update);
    assert.equal(moreUpdates.length, 0);
    assert.equal(update.activityId, request.card?.messageId);
    assert.equal(request.adminAccess, 'pending');
    const after = stringsOf(cardOf(update.body));
    assert.ok(after.includes(request.gdapLink ?? '-'));
    assert.ok(!after.includes('Being requested…'));
    assert.ok(
      after.some((s) => s.includes(request.gdapLink ?? '-') && s.includes('Hello')),
      'the draft has it too',
    );
  });

  it('when Graph refuses, the same card says why and offers a retry', async () => {
    h = await teamsHarness();
    await fetch(new URL('/emulator/control/throttle', h.app.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 40, retryAfterSeconds: 0 }),
    });
    const request = await ask();
    assert.equal(request.adminAccess, 'not-requested');
    assert.match(request.adminAccessProblem ?? '', /could not be requested/);
    const [update] = h.connector.updates();
    assert.ok(update);
    const card = cardOf(update.body);
    assert.ok(stringsOf(card).some((s) => /could not be requested/.test(s)));
    assert.ok(actionsOf(card).includes('retryAdminAccess'), 'a retry button');
  });

  it('a card update that fails is logged; the request is complete and the message answered', async () => {
    h = await teamsHarness();
    // updates refused (403: not retried by the SDK), posts go through
    h.connector.fail({ status: 403, method: 'PUT', body: { error: { code: 'Forbidden', message: 'no' } } });
    const request = await ask();
    assert.equal(request.adminAccess, 'pending', 'admin access was asked for all the same');
    assert.equal(h.connector.updates().length, 0);
    assert.ok(
      h.app.logs.entries().some((l) => l.msg.includes('the card was posted; finishing the request failed')),
      'the failure is logged',
    );
  });

  it('with GDAP off, one card and no update', async () => {
    h = await teamsHarness({ GDAP_ENABLED: 'false' });
    const request = await ask();
    assert.equal(h.connector.posts().length, 1);
    assert.equal(h.connector.updates().length, 0);
    assert.ok(!stringsOf(cardOf(h.connector.posts()[0]?.body ?? {})).includes('Being requested…'));
    assert.equal(request.adminAccess, 'not-requested');
  });

  it('a request cancelled between its card and the follow-up asks nobody for admin rights', async () => {
    h = await teamsHarness();
    const input = {
      platform: 'teams' as const,
      tenant: TENANT,
      user: { id: '29:1a2b3c-ana', name: 'Ana Lopez', aadObjectId: '6b1f8b8e-1b2c-4d3e-9f00-0000000000a1' },
      conversation: { id: 'a:1personal-chat-with-ana', kind: 'personal' as const },
      text: ASK,
      cardFirst: true,
    };
    const reply = await handleCommand(h.core, input);
    assert.ok(reply.kind === 'card' && reply.followUp);
    const { changed } = await cancelRequest(h.core, { ...input, requestId: reply.followUp.requestId });
    assert.equal(changed, true);
    const next = await runFollowUp(h.core, reply.followUp);
    assert.ok(next?.card === 'request');
    assert.equal(next.data.status, 'cancelled');
    assert.equal(next.data.adminAccess, 'not-requested');
    assert.equal(h.app.app.emulator?.state.relationships.size, 0, 'no GDAP relationship created');
  });
});
