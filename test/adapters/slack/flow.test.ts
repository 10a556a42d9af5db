/**
 * Issue "must show" for Slack: the whole flow over real HTTP with real signatures, against a fake Slack Web API.
 */
import { strict as assert } from 'node:assert';
import { deliverToSubscription } from '../../../src/core/notifications/deliver.js';
import { requestNotification } from '../../../src/core/notifications/model.js';
import type { ChannelNotifier } from '../../../src/core/ports.js';
import {
  eventually,
  formBody,
  NOTIFY_CHANNEL,
  payloadBody,
  slackFixture,
  slackHarness,
  stringsOf,
  type Json,
} from '../../support/slack.js';

type Harness = Awaited<ReturnType<typeof slackHarness>>;

function blocksOf(call: { body: Json } | undefined): Json[] {
  assert.ok(call, 'a Slack call was made');
  const blocks = (call.body['blocks'] ?? (call.body['view'] as Json | undefined)?.['blocks']) as Json[] | undefined;
  assert.ok(Array.isArray(blocks), 'the call carries blocks');
  return blocks;
}

function buttons(blocks: Json[]): string[] {
  return blocks
    .filter((b) => b['type'] === 'actions')
    .flatMap((b) => (b['elements'] as Json[]).map((e) => String(e['action_id'])));
}

describe('Slack: the whole flow (issue "must show")', function () {
  let h: Harness;
  before(async () => {
    h = await slackHarness();
  });
  after(async () => {
    await h.stop();
  });

  it('/relationship request → card → edit modal → edited → refused without link → sent → notification', async () => {
    const { slack } = h;
    // 1. The slash command is acknowledged while Slack's Web API is still busy: the ack does not wait for the post.
    const release = slack.hold('chat.postMessage');
    const command = slackFixture('slash-command', {
      text: 'request relationship Contoso Ltd admin@contoso.com',
      responseUrl: slack.responseUrl('cmd-1'),
      triggerId: h.nextTrigger(),
    });
    const ack = await h.send(formBody(command));
    assert.equal(ack.status, 200);
    assert.equal(ack.text, '', 'an empty 200: the card follows as a channel message');
    await eventually(() => slack.of('chat.postMessage')[0], 'the card post');
    release();
    // The card goes out first; admin access (GDAP) is asked for next and the card is updated in place with its link.
    const completed = await eventually(() => slack.of('chat.update')[0], 'the card updated after admin access');

    // 2. The card reaches Slack: draft, link, buttons, and a plain-text fallback.
    const post = slack.of('chat.postMessage')[0];
    assert.equal(post?.body['channel'], 'C0SALES');
    assert.match(String(post.body['text']), /Reseller relationship request RR-\w+ for Contoso Ltd/);
    const requests = await h.core.store.requests.list({ limit: 5 });
    assert.equal(requests.length, 1);
    const created = requests[0]!;
    assert.equal(created.adminAccess, 'pending');
    assert.match(
      stringsOf(blocksOf(post)).join('\n'),
      /Being requested…/,
      'the first card says admin access is coming',
    );
    assert.equal(completed.body['ts'], (await h.core.store.requests.get(created.id))?.card?.messageId);
    const text = stringsOf(blocksOf(completed)).join('\n');
    assert.ok(text.includes(created.gdapLink ?? '-'), 'the updated card carries the GDAP approval link');
    assert.ok(text.includes(created.resellerLink), 'the reseller link is on the card');
    const firstLine = created.draft.body.split('\n')[0] ?? '';
    assert.ok(firstLine.length > 5 && text.includes(firstLine), 'the draft is on the card');
    assert.ok(text.includes('|Open in email app>'), 'a mailto link in mrkdwn');
    assert.deepEqual(buttons(blocksOf(post)), ['edit_draft', 'mark_sent', 'set_tenant', 'cancel_request']);
    const withCard = await eventually(
      async () => (await h.core.store.requests.get(created.id))?.card,
      'the card stored',
    );
    assert.equal(withCard.platform, 'slack');
    assert.equal(withCard.conversationId, 'C0SALES');
    const messageTs = withCard.messageId;

    // 3. Edit draft opens a modal at once, then fills it with the stored draft.
    const click = (actionId: string) =>
      payloadBody(
        slackFixture('block-actions', {
          actionId,
          requestId: created.id,
          messageTs,
          triggerId: h.nextTrigger(),
          responseUrl: slack.responseUrl(`click-${actionId}`),
        }),
      );
    assert.equal((await h.send(click('edit_draft'))).status, 200);
    // opened with the click's trigger id before the click was acknowledged
    const opened = slack.of('views.open')[0];
    assert.ok(opened, 'the draft modal was open by the time the click was answered');
    const modal = opened.body['view'] as Json;
    const input = (modal['blocks'] as Json[]).find((b) => b['block_id'] === 'draft_body');
    const element = input?.['element'] as Json;
    assert.equal(element['multiline'], true);
    assert.equal(element['initial_value'], created.draft.body);
    const metadata = String(modal['private_metadata']);

    // 4. A submission with an edited draft (multiline) updates the card.
    const edited = `${created.draft.body}\n\nP.S. Call me on Monday.\nThanks!`;
    const submit = (body: string) =>
      payloadBody(
        slackFixture('view-submission-edit-draft', {
          viewId: 'V00000001',
          privateMetadata: metadata,
          subject: created.draft.subject,
          body,
        }),
      );
    slack.reset();
    const saved = await h.send(submit(edited));
    assert.equal(saved.status, 200);
    assert.equal(saved.text, '', 'the modal closes');
    const chatUpdate = await eventually(() => slack.of('chat.update')[0], 'the card update');
    assert.equal(chatUpdate.body['ts'], messageTs);
    assert.ok(stringsOf(blocksOf(chatUpdate)).join('\n').includes('P.S. Call me on Monday.'));
    const afterSave = await h.core.store.requests.get(created.id);
    assert.equal(afterSave?.draft.body, edited);

    // 5. A submission without the link is refused, keyed by block_id; nothing changes.
    slack.reset();
    const refused = await h.send(submit('Hello, no link here.'));
    assert.equal(refused.status, 200);
    assert.equal(refused.json?.['response_action'], 'errors');
    const errors = refused.json['errors'] as Json;
    assert.match(String(errors['draft_body']), /link/i);
    assert.deepEqual(await h.core.store.requests.get(created.id), afterSave, 'store unchanged');
    assert.equal(slack.calls.length, 0, 'no message changed');

    // 6. Mark as sent: state change and chat.update of the card.
    assert.equal((await h.send(click('mark_sent'))).status, 200);
    const sentUpdate = await eventually(() => slack.of('chat.update')[0], 'the sent card');
    assert.equal((await h.core.store.requests.get(created.id))?.status, 'sent');
    assert.ok(stringsOf(blocksOf(sentUpdate)).includes('*Status*\nSent — waiting for the customer'));
    assert.deepEqual(buttons(blocksOf(sentUpdate)), ['edit_draft', 'set_tenant', 'cancel_request']);

    // 7. A notification through the notifier port reaches SLACK_NOTIFY_CHANNEL.
    slack.reset();
    const notifier = h.app.app.notifiers.find((n) => n.platform === 'slack') as ChannelNotifier;
    const sent = (await h.core.store.requests.get(created.id))!;
    const [standing] = notifier.standing;
    assert.ok(standing);
    const result = await deliverToSubscription(
      h.core,
      notifier,
      standing,
      requestNotification('relationship.accepted', sent, new Date().toISOString()),
      'test-key',
    );
    assert.equal(result.delivered, true);
    const notice = slack.of('chat.postMessage')[0];
    assert.equal(notice?.body['channel'], NOTIFY_CHANNEL);
    assert.match(String(notice.body['text']), /Customer accepted the reseller relationship: Contoso Ltd/);
  });
});
