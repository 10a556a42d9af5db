/**
 * Edit draft opened on a card before admin access was asked for (the GDAP approval link not on it yet), saved after
 * the link arrived: the draft is checked against the links the modal showed, the new link is added to the text, and
 * the modal says so. Admin access is held back at our own directory port (fault injection) until the modal is open.
 */
import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { LINK_ADDED_NOTICES } from '../../../src/core/requests/draft.js';
import type { PartnerDirectory } from '../../../src/core/ports.js';
import { eventually } from '../../support/eventually.js';
import { formBody, payloadBody, slackFixture, slackHarness, stringsOf, type Json } from '../../support/slack.js';

type Harness = Awaited<ReturnType<typeof slackHarness>>;

describe('Slack: a draft edited from an older version', () => {
  let h: Harness;
  afterEach(async () => {
    sinon.restore();
    await h.stop();
  });

  /** A request whose admin access waits until `release()`, with its Edit draft modal open on the first card. */
  async function modalOpenBeforeTheLink() {
    h = await slackHarness();
    const directory = h.core.directory as PartnerDirectory;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ask = directory.requestAdminAccess.bind(directory);
    sinon.stub(directory, 'requestAdminAccess').callsFake(async (input) => {
      await gate;
      return ask(input);
    });
    const command = formBody(
      slackFixture('slash-command', {
        text: 'request relationship Contoso Ltd admin@contoso.com',
        responseUrl: h.slack.responseUrl('cmd'),
        triggerId: h.nextTrigger(),
      }),
    );
    assert.equal((await h.send(command)).status, 200);
    const posted = await eventually(async () => {
      const [r] = await h.core.store.requests.list({ limit: 1 });
      return r?.card ? r : undefined;
    }, 'the first card');
    assert.equal(posted.gdapLink, undefined);
    const click = payloadBody(
      slackFixture('block-actions', {
        actionId: 'edit_draft',
        requestId: posted.id,
        messageTs: posted.card?.messageId ?? '',
        triggerId: h.nextTrigger(),
        responseUrl: h.slack.responseUrl('click'),
      }),
    );
    assert.equal((await h.send(click)).status, 200);
    const modal = await eventually(() => h.slack.of('views.open')[0], 'the Edit draft modal');
    const view = modal.body['view'] as Json;
    release();
    const request = await eventually(async () => {
      const r = await h.core.store.requests.get(posted.id);
      return r?.gdapLink ? r : undefined;
    }, 'the GDAP link');
    return { request, view, metadata: String(view['private_metadata']) };
  }

  function submit(metadata: string, body: string) {
    return h.send(
      payloadBody(
        slackFixture('view-submission-edit-draft', { viewId: 'V1', privateMetadata: metadata, subject: 'Hi', body }),
      ),
    );
  }

  it('adds the admin access link that arrived while the modal was open, and says so in the modal', async () => {
    const { request, view, metadata } = await modalOpenBeforeTheLink();
    const shown = stringsOf(view).find((s) => s.includes(request.resellerLink)) ?? '';
    assert.ok(!shown.includes(request.gdapLink ?? '-'), 'the modal showed no GDAP link');
    const typed = shown.replace(/^Hello[^\n]*/, 'Hi Megan,');
    const saved = await submit(metadata, typed);
    assert.equal(saved.status, 200);
    assert.equal(saved.json?.['response_action'], 'update', 'the modal stays open to show what was added');
    const strings = stringsOf(saved.json['view']);
    assert.ok(
      strings.some((s) => s.includes(LINK_ADDED_NOTICES.gdap)),
      'the modal says the link was added',
    );
    const stored = await h.core.store.requests.get(request.id);
    assert.ok(stored);
    assert.ok(stored.draft.body.startsWith('Hi Megan,'));
    assert.ok(stored.draft.body.endsWith(`\n${request.gdapLink ?? '-'}`), 'the link is in the saved text');
    assert.ok(strings.includes(stored.draft.body), 'the modal shows the saved draft, link included');
  });

  it('still refuses a draft without the reseller link the modal showed', async () => {
    const { request, view, metadata } = await modalOpenBeforeTheLink();
    const shown = stringsOf(view).find((s) => s.includes(request.resellerLink)) ?? '';
    const saved = await submit(metadata, shown.split(request.resellerLink).join(''));
    assert.equal(saved.json?.['response_action'], 'errors');
    assert.match(JSON.stringify(saved.json['errors']), /reseller relationship link/);
    assert.equal((await h.core.store.requests.get(request.id))?.draft.body, request.draft.body, 'nothing saved');
  });
});
