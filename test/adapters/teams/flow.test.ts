/**
 * The "must show": the whole Teams flow in a channel, over real HTTP, against the fake Bot Connector.
 */
import { strict as assert } from 'node:assert';
import { cardSizeBytes, type AdaptiveCard } from '../../../src/adapters/teams/cards.js';
import { deliverToSubscription } from '../../../src/core/notifications/deliver.js';
import { requestNotification } from '../../../src/core/notifications/model.js';
import { cardOf, stringsOf, teamsHarness, type Json } from '../../support/teams.js';

const TEAM = '19:general-sales@thread.tacv2';
const THREAD = `${TEAM};messageid=1700000000001`;

interface CardElement {
  type: string;
  id?: string;
  title?: string;
  verb?: string;
  url?: string;
  isMultiline?: boolean;
  value?: string;
  items?: CardElement[];
  inlines?: CardElement[];
  text?: string;
}

/** Every element of a card, depth first. */
function elements(card: Json): CardElement[] {
  const out: CardElement[] = [];
  const walk = (list: unknown) => {
    for (const el of (list as CardElement[] | undefined) ?? []) {
      out.push(el);
      walk(el.items);
      walk((el as { columns?: unknown }).columns);
    }
  };
  walk(card['body']);
  return out;
}

function input(card: Json, id: string): CardElement | undefined {
  return elements(card).find((e) => e.id === id);
}

function actions(card: Json): CardElement[] {
  return (card['actions'] as CardElement[] | undefined) ?? [];
}

/** The invoke response's card, or the error it carried. */
function invokeCard(body: Json | undefined): Json {
  assert.equal(body?.['statusCode'], 200, `expected a card, got ${JSON.stringify(body)}`);
  assert.equal(body['type'], 'application/vnd.microsoft.card.adaptive');
  return body['value'] as Json;
}

describe('Teams: the whole flow in a channel (issue "must show")', function () {
  it('request -> card -> save an edited draft -> refuse a draft without the link -> mark sent -> notification', async () => {
    const h = await teamsHarness();
    try {
      // The app is installed in the team: the General channel is subscribed.
      assert.equal((await h.send(h.activity('installation-update-add'))).status, 200);
      assert.equal((await h.core.store.subscriptions.get('teams', TEAM))?.active, true);

      // 1. "@bot request relationship Contoso Ltd admin@contoso.com" in a channel thread.
      const message = await h.send(h.activity('channel-message-mention'));
      assert.equal(message.status, 200);
      const [post, ...others] = h.connector.posts();
      assert.ok(post);
      assert.equal(others.length, 0, 'exactly one message');
      assert.equal(post.conversationId, THREAD, 'the card is a reply in the thread that asked');
      // The card goes out first; admin access (GDAP) is asked for next, and the same card is updated in place.
      assert.ok(
        stringsOf(cardOf(post.body)).includes('Being requested…'),
        'the first card says admin access is coming',
      );
      const [completed, ...laterUpdates] = h.connector.updates();
      assert.ok(completed);
      assert.equal(laterUpdates.length, 0, 'one update');
      const card = cardOf(completed.body);
      const [request] = await h.core.store.requests.list({ limit: 10 });
      assert.ok(request);
      assert.equal(request.adminAccess, 'pending');
      assert.equal(completed.activityId, request.card?.messageId, 'the card posted is the card updated');
      assert.ok(stringsOf(card).includes(request.gdapLink ?? '-'), 'the updated card shows the GDAP approval link');
      assert.equal(request.customerName, 'Contoso Ltd');
      assert.equal(request.contactEmail, 'admin@contoso.com');
      assert.equal(request.status, 'draft');
      const link = await h.core.links.resellerLink();
      assert.match(link, /^https:\/\//);

      const body = input(card, 'draftBody');
      assert.equal(body?.type, 'Input.Text');
      assert.equal(body.isMultiline, true);
      assert.equal(body.value, request.draft.body);
      assert.ok(body.value.includes(link), 'the draft carries the reseller link');
      assert.ok(stringsOf(card).includes(link), 'the link is shown on its own');
      assert.deepEqual(
        actions(card).map((a) => [a.type, a.title, a.verb]),
        [
          ['Action.Execute', 'Save draft', 'saveDraft'],
          ['Action.OpenUrl', 'Open in email app', undefined],
          ['Action.Execute', 'Mark as sent', 'markSent'],
          ['Action.Execute', 'Cancel request', 'cancel'],
        ],
      );
      assert.match(actions(card)[1]?.url ?? '', /^mailto:admin@contoso\.com\?subject=/);
      const stored = await h.core.store.requests.get(request.id);
      assert.equal(stored?.card?.messageId, post.body['id'] ?? stored?.card?.messageId);
      const messageId = stored?.card?.messageId;
      assert.ok(messageId, 'the card message id is kept for updates');

      // 2. Save an edited draft (Teams merges the inputs into action.data).
      // GDAP is on by default: the draft carries the admin approval link too, and an edit must keep both.
      const gdapLink = (await h.core.store.requests.get(request.id))?.gdapLink;
      assert.ok(gdapLink, 'a GDAP relationship was requested with the invitation');
      const edited = `Hello Contoso team,\n\nPlease accept our invitation:\n${link}\n\nAnd approve admin access:\n${gdapLink}\n\nThanks!`;
      h.connector.reset();
      const saved = await h.send(
        h.activity('invoke-action-verb', {
          replyToId: messageId,
          requestId: request.id,
          subject: 'Our invitation',
          body: edited,
        }),
      );
      assert.equal(saved.status, 200);
      const savedCard = invokeCard(saved.body);
      assert.equal(input(savedCard, 'draftBody')?.value, edited);
      assert.equal(input(savedCard, 'draftSubject')?.value, 'Our invitation');
      const [update, ...moreUpdates] = h.connector.updates();
      assert.ok(update);
      assert.equal(moreUpdates.length, 0);
      assert.equal(update.conversationId, THREAD);
      assert.equal(update.activityId, messageId, 'the original message is updated for everyone');
      assert.equal(input(cardOf(update.body), 'draftBody')?.value, edited);
      const afterSave = await h.core.store.requests.get(request.id);
      assert.equal(afterSave?.draft.body, edited);

      // 3. A draft without the link is refused with the reason, and nothing changes.
      h.connector.reset();
      const refused = await h.send(
        h.activity('invoke-action-verb', {
          replyToId: messageId,
          requestId: request.id,
          subject: 'x',
          body: 'Hello, no link here.',
        }),
      );
      assert.equal(refused.status, 200);
      assert.equal(refused.body?.['statusCode'], 400);
      assert.equal(refused.body['type'], 'application/vnd.microsoft.error');
      assert.match((refused.body['value'] as { message: string }).message, /link/i);
      assert.deepEqual(await h.core.store.requests.get(request.id), afterSave, 'store unchanged');
      assert.equal(h.connector.calls.length, 0, 'no message changed');

      // 4. Mark as sent, from a client that sends no verb (the verb is in data.action).
      const sent = await h.send(h.activity('invoke-action-no-verb', { replyToId: messageId, requestId: request.id }));
      assert.equal(sent.status, 200);
      const sentCard = invokeCard(sent.body);
      const afterSent = await h.core.store.requests.get(request.id);
      assert.equal(afterSent?.status, 'sent');
      assert.ok(stringsOf(sentCard).includes('Sent — waiting for the customer'), 'the clicker sees Sent');
      const sentUpdate = h.connector.updates().at(-1);
      assert.equal(sentUpdate?.activityId, messageId);
      assert.ok(stringsOf(cardOf(sentUpdate.body)).includes('Sent — waiting for the customer'), 'everyone sees Sent');
      // "Mark as sent" no longer applies; the draft stays editable for a re-send until the customer answers.
      assert.deepEqual(
        actions(sentCard).map((a) => a.title),
        ['Save draft', 'Open in email app', 'Cancel request'],
      );

      // 5. A notification through the notifier port is a new post in the subscribed channel.
      h.connector.reset();
      const [teams] = h.app.app.notifiers;
      assert.ok(teams);
      const subscription = await h.core.store.subscriptions.get('teams', TEAM);
      assert.ok(subscription && afterSent);
      const notification = requestNotification('relationship.accepted', afterSent, '2026-11-24T09:00:00.000Z');
      assert.equal(
        (await deliverToSubscription(h.core, teams, subscription, notification, 'test-key')).delivered,
        true,
      );
      const [notice, ...extra] = h.connector.posts();
      assert.ok(notice);
      assert.equal(extra.length, 0);
      assert.equal(notice.path, `/v3/conversations/${encodeURIComponent(TEAM)}/activities`, 'a new top-level post');
      assert.equal(notice.body['replyToId'], undefined);
      const noticeStrings = stringsOf(cardOf(notice.body));
      assert.ok(noticeStrings.includes('Customer accepted the reseller relationship'));
      assert.ok(noticeStrings.includes('Contoso Ltd'));
      assert.ok(noticeStrings.includes(request.id));

      // Card sizes, for the record (limit 28 KB).
      const sizes = [card, savedCard, sentCard, cardOf(notice.body)].map((c) => cardSizeBytes(c as AdaptiveCard));
      for (const size of sizes) assert.ok(size < 28 * 1024);
    } finally {
      await h.stop();
    }
  });
});
