/**
 * POST /slack/events over real HTTP: signatures and timestamps, content types, url_verification, the form modal,
 * @mentions and their retries, access rules, and user text that must stay inert in every outgoing payload.
 */
import { strict as assert } from 'node:assert';
import { systemClock } from '../../../src/adapters/system/clock.js';
import { BODY_LIMIT_BYTES } from '../../../src/http/body.js';
import {
  eventually,
  formBody,
  payloadBody,
  sign,
  slackFixture,
  slackHarness,
  stringsOf,
  type Json,
} from '../../support/slack.js';

type Harness = Awaited<ReturnType<typeof slackHarness>>;

/** The published example of Slack's "Verifying requests from Slack" page. */
const DOCS = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
    '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
    '%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

function command(h: Harness, text: string, fields: Json = {}): string {
  return formBody({
    ...slackFixture('slash-command', { text, responseUrl: h.slack.responseUrl('cmd'), triggerId: h.nextTrigger() }),
    ...fields,
  });
}

describe('Slack endpoint', function () {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  describe('signatures, timestamps and bodies', () => {
    it("accepts Slack's published signing example at its own time (injected clock), and nothing else", async () => {
      const at = new Date(DOCS.timestamp * 1000);
      h = await slackHarness({ SLACK_SIGNING_SECRET: DOCS.secret }, { clock: { ...systemClock, now: () => at } });
      const ok = await h.send(DOCS.body, { timestamp: DOCS.timestamp, signature: DOCS.signature });
      assert.equal(ok.status, 200);
      const tampered = await h.send(DOCS.body.replace('roadrunner', 'coyote'), {
        timestamp: DOCS.timestamp,
        signature: DOCS.signature,
      });
      assert.equal(tampered.status, 401);
    });

    it('refuses a bad signature, a missing one, and timestamps over 5 minutes old or ahead, with 401', async () => {
      // the bot's clock stands still, so "301 s" is 301 s however slow the machine is
      const at = new Date();
      h = await slackHarness({}, { clock: { ...systemClock, now: () => at } });
      const body = command(h, 'list');
      const now = Math.floor(at.getTime() / 1000);
      const cases: [string, Parameters<Harness['send']>[1]][] = [
        ['wrong secret', { signature: sign(body, now, 'another-secret') }],
        ['no signature', { signature: '' }],
        ['301 s old', { timestamp: now - 301, signature: sign(body, now - 301) }],
        ['301 s ahead', { timestamp: now + 301, signature: sign(body, now + 301) }],
        ['not a number', { timestamp: Number.NaN, signature: sign(body, now) }],
      ];
      for (const [what, options] of cases) {
        const res = await h.send(body, options);
        assert.equal(res.status, 401, what);
        assert.equal(res.json?.['error'], 'unauthorized', what);
      }
      assert.equal((await h.send(body, { timestamp: now - 290, signature: sign(body, now - 290) })).status, 200);
      assert.equal(h.slack.of('chat.postMessage').length + h.slack.of('response_url').length <= 1, true);
    });

    it('reads forms with or without a charset, JSON events; other types get 400; malformed bodies 400', async () => {
      h = await slackHarness();
      assert.equal(
        (await h.send(command(h, 'help'), { contentType: 'application/x-www-form-urlencoded; charset=utf-8' })).status,
        200,
      );
      assert.equal((await h.send(command(h, 'help'), { contentType: 'text/plain' })).status, 400);
      assert.equal((await h.send('{"type":', { contentType: 'application/json' })).status, 400);
      assert.equal((await h.send('[1,2]', { contentType: 'application/json' })).status, 400);
      assert.equal((await h.send('payload=%7Bnot-json')).status, 400);
      assert.equal((await h.send('a'.repeat(BODY_LIMIT_BYTES + 1))).status, 413);
    });

    it('answers url_verification with the challenge, and ssl_check with an empty 200', async () => {
      h = await slackHarness();
      const verification = slackFixture('url-verification');
      const res = await h.send(JSON.stringify(verification), { contentType: 'application/json' });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { challenge: verification['challenge'] });
      const ssl = await h.send('ssl_check=1&token=abc', { signature: 'v0=unsigned' });
      assert.equal(ssl.status, 200);
      assert.equal(ssl.text, '');
    });
  });

  describe('commands', () => {
    it('missing arguments open the form modal with the trigger id, before any store call', async () => {
      h = await slackHarness();
      const body = command(h, 'request relationship');
      const trigger = new URLSearchParams(body).get('trigger_id');
      const res = await h.send(body);
      assert.equal(res.status, 200);
      const open = await eventually(() => h.slack.of('views.open')[0], 'the form modal');
      assert.equal(open.body['trigger_id'], trigger);
      const view = open.body['view'] as Json;
      assert.equal(view['callback_id'], 'request_form');
      assert.deepEqual(await h.core.store.requests.list({ limit: 5 }), []);
    });

    it('an invalid email opens the form with the problem; submitting good values posts the card once', async () => {
      h = await slackHarness();
      await h.send(command(h, 'request relationship Contoso Ltd not-an-email'));
      const open = await eventually(() => h.slack.of('views.open')[0], 'the form modal');
      assert.ok(stringsOf(open.body['view']).some((s) => /email/i.test(s) && s.includes(':warning:')));
      const bad = slackFixture('view-submission-request-form', {
        viewId: 'V1',
        customerName: 'Contoso Ltd',
        contactEmail: 'nope',
      });
      const refused = await h.send(payloadBody(bad));
      assert.equal(refused.json?.['response_action'], 'errors');
      assert.ok((refused.json['errors'] as Json)['contact_email']);
      const good = slackFixture('view-submission-request-form', {
        viewId: 'V1',
        customerName: 'Contoso Ltd',
        contactEmail: 'admin@contoso.com',
      });
      assert.equal((await h.send(payloadBody(good))).text, '');
      assert.equal((await h.send(payloadBody(good))).text, '');
      await eventually(() => h.slack.of('chat.postMessage')[0], 'the card');
      const all = await h.core.store.requests.list({ limit: 5 });
      assert.equal(all.length, 1, 'the same form submitted twice makes one request');
    });

    it('refuses teams outside ALLOWED_SLACK_TEAM_IDS and people outside REQUESTERS, changing nothing', async () => {
      h = await slackHarness({ ALLOWED_SLACK_TEAM_IDS: 'T0OTHER' });
      await h.send(command(h, 'request relationship Contoso Ltd admin@contoso.com'));
      const refused = await h.send(command(h, 'request relationship'));
      assert.match(String(refused.json?.['text']), /not allowed|workspace/i);
      await h.stop();
      h = await slackHarness({ REQUESTERS: 'U0SOMEONE' });
      await h.send(command(h, 'request relationship Contoso Ltd admin@contoso.com'));
      const answer = await eventually(() => h.slack.of('response_url')[0], 'the refusal');
      assert.equal(answer.body['response_type'], 'ephemeral');
      assert.match(stringsOf(answer.body).join(' '), /not allowed|permission|REQUESTERS/i);
      assert.deepEqual(await h.core.store.requests.list({ limit: 5 }), []);
      assert.equal(h.slack.of('chat.postMessage').length, 0);
    });
  });

  describe('@mentions', () => {
    it('work like the command, and a retried event (same event_id) runs once', async () => {
      h = await slackHarness();
      const event = slackFixture('app-mention', {
        text: '<@UBOT> request relationship AT&amp;T Inc <mailto:it@att.example|it@att.example>',
        ts: '1700000000.000900',
        eventId: 'Ev0001',
      });
      const first = await h.send(JSON.stringify(event), { contentType: 'application/json' });
      assert.equal(first.status, 200);
      const retry = await h.send(JSON.stringify(event), {
        contentType: 'application/json',
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      });
      assert.equal(retry.status, 200);
      await eventually(() => h.slack.of('chat.postMessage')[0], 'the card');
      const all = await h.core.store.requests.list({ limit: 5 });
      assert.equal(all.length, 1);
      assert.equal(all[0]?.customerName, 'AT&T Inc');
      assert.equal(all[0].contactEmail, 'it@att.example');
      assert.equal(h.slack.of('chat.postMessage').length, 1);
    });
  });

  describe('buttons', () => {
    it('double clicks are harmless; a refused click answers only the person who clicked', async () => {
      h = await slackHarness();
      await h.send(command(h, 'request relationship Contoso Ltd admin@contoso.com'));
      const created = await eventually(
        async () =>
          (await h.core.store.requests.list({ limit: 1 }))[0]?.card &&
          (await h.core.store.requests.list({ limit: 1 }))[0],
        'the card',
      );
      // the card's own update once admin access was asked for, before any click
      await eventually(() => h.slack.of('chat.update')[0], 'the card updated after admin access');
      const updatesBefore = h.slack.of('chat.update').length;
      const click = (actionId: string) =>
        payloadBody(
          slackFixture('block-actions', {
            actionId,
            requestId: created.id,
            messageTs: created.card?.messageId ?? '',
            triggerId: h.nextTrigger(),
            responseUrl: h.slack.responseUrl('click'),
          }),
        );
      await h.send(click('cancel_request'));
      await h.send(click('cancel_request'));
      await eventually(() => h.slack.of('chat.update')[updatesBefore], 'the cancelled card');
      assert.equal((await h.core.store.requests.get(created.id))?.status, 'cancelled');
      // A click on a request that does not exist: the reason, to the clicker only.
      await h.send(
        payloadBody(
          slackFixture('block-actions', {
            actionId: 'mark_sent',
            requestId: 'RR-ZZZZZ',
            messageTs: '1.2',
            triggerId: h.nextTrigger(),
            responseUrl: h.slack.responseUrl('click'),
          }),
        ),
      );
      const refusal = await eventually(() => h.slack.of('response_url')[0], 'the refusal');
      assert.equal(refusal.body['response_type'], 'ephemeral');
      assert.match(stringsOf(refusal.body).join(' '), /no request RR-ZZZZZ/);
      assert.equal(h.slack.of('chat.update').length, updatesBefore + 1, 'the double click changed the card once');
    });
  });

  describe('card first, admin access after', () => {
    it('in a channel the bot is not in: the card through the response_url, then replaced through it', async () => {
      h = await slackHarness();
      h.slack.fail('chat.postMessage', { status: 200, body: { ok: false, error: 'not_in_channel' } });
      await h.send(command(h, 'request relationship Contoso Ltd admin@contoso.com'));
      const [first, second] = await eventually(
        () => (h.slack.of('response_url').length >= 2 ? h.slack.of('response_url') : undefined),
        'the card and its replacement',
      );
      assert.ok(first && second);
      assert.equal(first.body['response_type'], 'in_channel');
      assert.ok(stringsOf(first.body).some((s) => s.includes('Being requested…')));
      assert.equal(second.body['replace_original'], true);
      const [request] = await h.core.store.requests.list({ limit: 1 });
      assert.equal(request?.adminAccess, 'pending');
      assert.ok(
        stringsOf(second.body).some((s) => s.includes(request.gdapLink ?? '-')),
        'with the GDAP link',
      );
    });
  });

  describe('injection', () => {
    it('<!channel>, @here, <@U123> and <https://evil|x> never ping or link in any outgoing payload', async () => {
      h = await slackHarness();
      await h.send(command(h, 'request relationship <!channel> Contoso admin@contoso.com'));
      // the card is complete once admin access was asked for and the card updated with its link
      const created = await eventually(async () => {
        const [r] = await h.core.store.requests.list({ limit: 1 });
        return r?.card && r.gdapLink && h.slack.of('chat.update').length === 1 ? r : undefined;
      }, 'the completed card');
      assert.equal(created.customerName, '<!channel> Contoso');
      const messageTs = created.card?.messageId ?? '';
      await h.send(click(h, 'edit_draft', created.id, messageTs));
      const update = await eventually(() => h.slack.of('views.open')[0], 'the modal');
      const metadata = String((update.body['view'] as Json)['private_metadata']);
      const evil = `${created.draft.body}\n@here <@U123> <https://evil.example|click> <!everyone> &lt;!here&gt;`;
      const saved = await h.send(
        payloadBody(
          slackFixture('view-submission-edit-draft', {
            viewId: 'V9',
            privateMetadata: metadata,
            subject: 'Hi <!here>',
            body: evil,
          }),
        ),
      );
      assert.equal(saved.text, '');
      await eventually(() => h.slack.of('chat.update')[1], 'the updated card');
      await h.send(click(h, 'mark_sent', created.id, messageTs));
      await eventually(() => h.slack.of('chat.update')[2], 'the sent card');

      const outgoing = h.slack.calls.filter((c) => c.method !== 'auth.test');
      assert.ok(outgoing.length >= 5, `${outgoing.length} calls checked`);
      for (const call of outgoing) {
        for (const textObject of mrkdwnObjects(call.body)) {
          assert.equal(textObject['verbatim'], true, `verbatim mrkdwn in ${call.method}`);
          const links = String(textObject['text']).match(/<[^>]*>/g) ?? [];
          for (const link of links) {
            assert.match(
              link,
              /^<(https:\/\/(?!evil)|mailto:)[^ <>|]*(\|[^<>]*)?>$/,
              `only our own links in ${call.method}: ${link}`,
            );
          }
        }
        const fallback = call.body['text'];
        if (typeof fallback === 'string')
          assert.doesNotMatch(fallback, /<[!@#]|<https?:/, `fallback text of ${call.method}`);
      }
    });
  });
});

function click(h: Harness, actionId: string, requestId: string, messageTs: string): string {
  return payloadBody(
    slackFixture('block-actions', {
      actionId,
      requestId,
      messageTs,
      triggerId: h.nextTrigger(),
      responseUrl: h.slack.responseUrl('c'),
    }),
  );
}

/** Every mrkdwn text object in a payload. */
function mrkdwnObjects(value: unknown): Json[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnObjects);
  if (value && typeof value === 'object') {
    const object = value as Json;
    const own = object['type'] === 'mrkdwn' ? [object] : [];
    return [...own, ...Object.values(object).flatMap(mrkdwnObjects)];
  }
  return [];
}
