/**
 * A draft edited on the card as it was first posted — before admin access was asked for and the card completed with
 * the GDAP approval link — is saved against the links that card showed: the link that arrived later is added to the
 * text, and the person is told so. Links the person removed from what they saw are still refused.
 */
import { strict as assert } from 'node:assert';
import { LINK_ADDED_NOTICES } from '../../../src/core/requests/draft.js';
import { eventually } from '../../support/eventually.js';
import { cardOf, stringsOf, teamsHarness, type Json } from '../../support/teams.js';

type Harness = Awaited<ReturnType<typeof teamsHarness>>;

/** What Teams sends for a click on the card's "Save draft": the action's data with the card's inputs merged in. */
function saveDraftInvoke(
  h: Harness,
  card: Json,
  messageId: string,
  inputs: { draftSubject: string; draftBody: string },
) {
  const action = (card['actions'] as Json[]).find((a) => a['verb'] === 'saveDraft');
  assert.ok(action, 'the card offers Save draft');
  const invoke = h.activity('invoke-action-verb', { replyToId: messageId, requestId: 'x', subject: '', body: '' });
  const value = invoke['value'] as Json;
  return {
    ...invoke,
    value: { ...value, action: { ...(value['action'] as Json), data: { ...(action['data'] as Json), ...inputs } } },
  };
}

/** The value of a card input by id. */
function inputValue(card: Json, id: string): string {
  const found = JSON.stringify(card).match(new RegExp(`"id":"${id}"[^}]*?"value":("(?:[^"\\\\]|\\\\.)*")`));
  return found?.[1] ? (JSON.parse(found[1]) as string) : '';
}

describe('Teams: a draft edited on an older version of the card', () => {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  async function firstCardAndCompletedRequest() {
    h = await teamsHarness();
    const res = await h.send(
      h.activity('personal-message', {}, { text: 'request relationship Contoso Ltd admin@contoso.com' }),
    );
    assert.equal(res.status, 200);
    const request = await eventually(async () => {
      const [r] = await h.core.store.requests.list({ limit: 1 });
      return r?.gdapLink && r.card ? r : undefined;
    }, 'the request with its GDAP link');
    const [post] = h.connector.posts();
    assert.ok(post, 'the first card was posted');
    const first = cardOf(post.body);
    assert.ok(!stringsOf(first).some((s) => s.includes(request.gdapLink ?? '-')), 'the first card has no GDAP link');
    return { request, first, messageId: request.card?.messageId ?? '' };
  }

  it('adds the admin access link that arrived after the card was drawn, and says so', async () => {
    const { request, first, messageId } = await firstCardAndCompletedRequest();
    const typed = inputValue(first, 'draftBody').replace(/^Hello[^\n]*/, 'Hi Megan,');
    assert.ok(typed.startsWith('Hi Megan,') && typed.includes(request.resellerLink));
    const saved = await h.send(
      saveDraftInvoke(h, first, messageId, { draftSubject: 'Our invitation', draftBody: typed }),
    );
    const body = saved.body as Json;
    assert.equal(body['statusCode'], 200, JSON.stringify(body));
    const card = body['value'] as Json;
    assert.ok(stringsOf(card).includes(LINK_ADDED_NOTICES.gdap), 'the answer says the link was added');
    const stored = await h.core.store.requests.get(request.id);
    assert.ok(stored);
    assert.ok(stored.draft.body.startsWith('Hi Megan,'), 'what they typed is kept');
    assert.ok(stored.draft.body.includes(request.resellerLink));
    assert.ok(stored.draft.body.endsWith(`\n${request.gdapLink ?? '-'}`), 'the GDAP link is now at the end');
    assert.equal(inputValue(card, 'draftBody'), stored.draft.body, 'the card shows the saved draft');
  });

  it('still refuses a draft without the reseller link the person saw', async () => {
    const { request, first, messageId } = await firstCardAndCompletedRequest();
    const typed = inputValue(first, 'draftBody').split(request.resellerLink).join('(link removed)');
    const saved = await h.send(
      saveDraftInvoke(h, first, messageId, { draftSubject: 'Our invitation', draftBody: typed }),
    );
    const body = saved.body as Json;
    assert.equal(body['statusCode'], 400);
    assert.match(String((body['value'] as Json)['message']), /reseller relationship link/);
    assert.equal((await h.core.store.requests.get(request.id))?.draft.body, request.draft.body, 'nothing saved');
  });

  it('a draft from the current card must keep the GDAP link it shows', async () => {
    const { request, messageId } = await firstCardAndCompletedRequest();
    const [update] = h.connector.updates();
    assert.ok(update, 'the card was completed in place');
    const current = cardOf(update.body);
    const typed = inputValue(current, 'draftBody')
      .split(request.gdapLink ?? '-')
      .join('');
    const saved = await h.send(
      saveDraftInvoke(h, current, messageId, { draftSubject: 'Our invitation', draftBody: typed }),
    );
    const body = saved.body as Json;
    assert.equal(body['statusCode'], 400);
    assert.match(String((body['value'] as Json)['message']), /admin access \(GDAP\) approval link/);
  });
});
