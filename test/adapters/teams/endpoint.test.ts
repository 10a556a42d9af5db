/**
 * POST /api/messages over real HTTP with recorded Teams payloads: bad bodies, conversations of every kind, access
 * rules, re-sent activities, installs, the request form and card actions beyond the main flow (see flow.test.ts).
 */
import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { forgetConversation, referenceKey } from '../../../src/adapters/teams/references.js';
import { cardOf, stringsOf, teamsHarness, type Json } from '../../support/teams.js';

const TEAM = '19:general-sales@thread.tacv2';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ANA = '6b1f8b8e-1b2c-4d3e-9f00-0000000000a1';

type Harness = Awaited<ReturnType<typeof teamsHarness>>;

/** A channel message "@bot <text>". */
function mention(h: Harness, text: string, overrides: Json = {}): Json {
  const base = h.activity('channel-message-mention');
  return { ...base, text: `<at>Partner Relationship Bot</at> ${text}`, attachments: [], ...overrides };
}

function lastCardStrings(h: Harness): string[] {
  const post = h.connector.posts().at(-1);
  assert.ok(post, 'a message was posted');
  return stringsOf(cardOf(post.body));
}

async function onlyRequest(h: Harness) {
  const all = await h.core.store.requests.list({ limit: 10 });
  assert.equal(all.length, 1, `expected one request, found ${all.length}`);
  return all[0]!;
}

describe('Teams endpoint', function () {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  describe('bad input', () => {
    beforeEach(async () => {
      h = await teamsHarness();
    });
    const post = (body: string, type = 'application/json') =>
      fetch(new URL('/api/messages', h.app.url), { method: 'POST', headers: { 'content-type': type }, body });

    const cases: [string, () => string, RegExp][] = [
      ['an empty body', () => '', /./],
      ['malformed JSON', () => '{"type": "message",', /JSON/i],
      ['a JSON array', () => '[]', /object/i],
      ['no type', () => JSON.stringify({ ...h.activity('personal-message'), type: undefined }), /no type/],
      [
        'no conversation',
        () => JSON.stringify({ ...h.activity('personal-message'), conversation: undefined }),
        /conversation/,
      ],
      ['no sender', () => JSON.stringify({ ...h.activity('personal-message'), from: {} }), /sender/],
      [
        'a serviceUrl that is not a URL',
        () => JSON.stringify({ ...h.activity('personal-message'), serviceUrl: 'nope' }),
        /serviceUrl/,
      ],
      [
        'a file: serviceUrl',
        () => JSON.stringify({ ...h.activity('personal-message'), serviceUrl: 'file:///etc/passwd' }),
        /serviceUrl/,
      ],
      ['text that is not text', () => JSON.stringify({ ...h.activity('personal-message'), text: { a: 1 } }), /text/],
    ];
    for (const [what, body, reason] of cases) {
      it(`answers 400 to ${what} and sends nothing`, async () => {
        const res = await post(body());
        assert.equal(res.status, 400);
        const json = (await res.json()) as { message: string };
        assert.match(json.message, reason);
        assert.equal(h.connector.calls.length, 0);
      });
    }

    it('answers 415 to a body that is not JSON', async () => {
      const res = await post('type=message', 'application/x-www-form-urlencoded');
      assert.equal(res.status, 415);
    });

    it('ignores activity types it does not handle, with 200', async () => {
      const res = await h.send({ ...h.activity('personal-message'), type: 'typing' });
      assert.equal(res.status, 200);
      assert.equal(h.connector.calls.length, 0);
    });

    it('answers an unknown command with help, not an error', async () => {
      await h.send({ ...h.activity('personal-message'), text: 'frobnicate' });
      assert.ok(lastCardStrings(h).some((s) => /frobnicate/.test(s)));
    });
  });

  describe('conversations', () => {
    beforeEach(async () => {
      h = await teamsHarness();
    });

    it('personal chat: runs commands without a mention and answers there', async () => {
      const res = await h.send(h.activity('personal-message', {}, { text: 'help' }));
      assert.equal(res.status, 200);
      const [post] = h.connector.posts();
      assert.equal(post?.conversationId, 'a:1personal-chat-with-ana');
      assert.ok(stringsOf(cardOf(post.body)).some((s) => s.includes('request relationship')));
    });

    it('group chat: the mention is stripped and the request is made', async () => {
      const activity = mention(h, 'request relationship Fabrikam fabrikam@fabrikam.example', {
        conversation: { isGroup: true, conversationType: 'groupChat', tenantId: TENANT, id: '19:group-chat@thread.v2' },
        channelData: { tenant: { id: TENANT } },
      });
      assert.equal((await h.send(activity)).status, 200);
      const request = await onlyRequest(h);
      assert.equal(request.customerName, 'Fabrikam');
      assert.equal(request.card?.conversationId, '19:group-chat@thread.v2');
    });

    it('HTML-formatted text and entities are read as plain words', async () => {
      const activity = mention(h, '<p>request relationship Tom &amp; Jerry&#39;s tom@example.com</p>', {
        textFormat: 'xml',
      });
      await h.send(activity);
      assert.equal((await onlyRequest(h)).customerName, "Tom & Jerry's");
    });

    it('a re-sent activity (same id) never makes a second request or card', async () => {
      const activity = mention(h, 'request relationship Contoso Ltd admin@contoso.com');
      const [first, second] = await Promise.all([h.send(activity), h.send(activity)]);
      assert.equal(first.status, 200);
      assert.equal(second.status, 200);
      await h.send(activity);
      await onlyRequest(h);
      assert.equal(h.connector.posts().length, 1);
    });

    it('a reply the Bot Connector refuses is not reported as answered; the re-send posts the card once', async () => {
      const activity = mention(h, 'request relationship Contoso Ltd admin@contoso.com');
      h.connector.fail({
        status: 500,
        method: 'POST',
        times: 10,
        body: { error: { code: 'ServiceError', message: 'down' } },
      });
      const failed = await h.send(activity);
      assert.equal(failed.status, 502, 'not a success: Teams may send it again');
      assert.equal((await onlyRequest(h)).card, undefined, 'the request is stored, its card never went out');
      h.connector.reset();
      const again = await h.send(activity);
      assert.equal(again.status, 200);
      const request = await onlyRequest(h);
      assert.ok(request.card, 'the card of the request already stored');
      assert.equal(h.connector.posts().length, 1);
      assert.equal((await h.send(activity)).status, 200);
      assert.equal(h.connector.posts().length, 1, 'once answered, a further re-send is ignored');
    });

    it('the same words in a new activity make a new request', async () => {
      await h.send(mention(h, 'request relationship Contoso Ltd admin@contoso.com'));
      await h.send(mention(h, 'request relationship Contoso Ltd admin@contoso.com'));
      // the second is answered (a second request or a warning about the first), never silently dropped
      assert.equal(h.connector.posts().length, 2);
    });

    it('remembers the conversation on every message, refreshing the serviceUrl', async () => {
      await h.send(h.activity('personal-message'));
      const first = await h.core.store.conversations.get(referenceKey('a:1personal-chat-with-ana'));
      assert.ok(first);
      const moved = `${h.connector.url}amer/`;
      await h.send(h.activity('personal-message', { serviceUrl: moved }));
      const second = await h.core.store.conversations.get(referenceKey('a:1personal-chat-with-ana'));
      assert.equal((second?.reference as { serviceUrl?: string }).serviceUrl, moved);
    });

    it('writes an unchanged reference once, and again after the conversation was forgotten', async () => {
      const save = sinon.spy(h.core.store.conversations, 'save');
      try {
        await h.send(h.activity('personal-message'));
        await h.send(h.activity('personal-message'));
        assert.equal(save.callCount, 1, 'the second message found it saved moments ago');
        await forgetConversation(h.core.store, 'a:1personal-chat-with-ana');
        await h.send(h.activity('personal-message'));
        assert.equal(save.callCount, 2);
        assert.ok(await h.core.store.conversations.get(referenceKey('a:1personal-chat-with-ana')));
      } finally {
        save.restore();
      }
    });

    it('subscribe and unsubscribe in a channel thread use the channel, not the thread', async () => {
      await h.send(mention(h, 'subscribe'));
      const sub = await h.core.store.subscriptions.get('teams', TEAM);
      assert.equal(sub?.active, true);
      assert.ok(await h.core.store.conversations.get(referenceKey(TEAM)), 'the channel can be posted to');
      await h.send(mention(h, 'unsubscribe'));
      assert.equal((await h.core.store.subscriptions.get('teams', TEAM))?.active, false);
    });

    it('status re-posts the card; a click on that copy updates both messages', async () => {
      await h.send(mention(h, 'request relationship Contoso Ltd admin@contoso.com'));
      const request = await onlyRequest(h);
      await h.send(mention(h, `status ${request.id}`));
      const copy = h.connector.posts().at(-1);
      assert.ok(copy);
      const copyId = `msg-${h.connector.calls.indexOf(copy) + 1}`;
      assert.ok(stringsOf(cardOf(copy.body)).includes(request.id));
      h.connector.reset();
      const res = await h.send(h.activity('invoke-action-no-verb', { replyToId: copyId, requestId: request.id }));
      assert.equal((res.body as Json)['statusCode'], 200);
      const updated = h.connector
        .updates()
        .map((c) => c.activityId)
        .sort();
      assert.deepEqual(updated, [copyId, request.card?.messageId].sort());
    });
  });

  describe('access rules', () => {
    it('refuses activities from a tenant outside ALLOWED_TENANT_IDS, and changes nothing', async () => {
      h = await teamsHarness({ ALLOWED_TENANT_IDS: '11111111-1111-1111-1111-111111111111' });
      await h.send(mention(h, 'request relationship Contoso Ltd admin@contoso.com'));
      assert.deepEqual(await h.core.store.requests.list({ limit: 10 }), []);
      assert.ok(lastCardStrings(h).some((s) => /not allowed|not enabled/i.test(s)));
      const invoke = await h.send(h.activity('invoke-action-no-verb', { replyToId: 'm', requestId: 'RR-ABCDE' }));
      assert.equal((invoke.body as Json)['statusCode'], 403);
      await h.send(h.activity('installation-update-add'));
      assert.equal(await h.core.store.subscriptions.get('teams', TEAM), undefined, 'not subscribed on install');
    });

    it('enforces REQUESTERS for request and cancel, not for list', async () => {
      h = await teamsHarness({ REQUESTERS: '99999999-1111-1111-1111-111111111111' });
      await h.send(mention(h, 'request relationship Contoso Ltd admin@contoso.com'));
      assert.deepEqual(await h.core.store.requests.list({ limit: 10 }), []);
      assert.ok(lastCardStrings(h).some((s) => /REQUESTERS|not allowed|may not/i.test(s)));
      await h.send(mention(h, 'list'));
      assert.ok(lastCardStrings(h).length > 0);
    });

    it('lets a listed requester (by Entra object id) make requests', async () => {
      h = await teamsHarness({ REQUESTERS: ANA });
      await h.send(mention(h, 'request relationship Contoso Ltd admin@contoso.com'));
      await onlyRequest(h);
    });
  });

  describe('installation', () => {
    beforeEach(async () => {
      h = await teamsHarness();
    });

    it('installationUpdate add stores the reference and subscribes the General channel; remove undoes it', async () => {
      await h.send(h.activity('installation-update-add'));
      assert.equal((await h.core.store.subscriptions.get('teams', TEAM))?.channelName, 'Sales / General');
      assert.ok(await h.core.store.conversations.get(referenceKey(TEAM)));
      await h.send(h.activity('installation-update-remove'));
      const sub = await h.core.store.subscriptions.get('teams', TEAM);
      assert.equal(sub?.active, false);
      assert.equal(await h.core.store.conversations.get(referenceKey(TEAM)), undefined);
    });

    it('conversationUpdate with the bot in membersAdded subscribes too; other members joining do not', async () => {
      const added = h.activity('conversation-update-members-added');
      await h.send({ ...added, membersAdded: [{ id: '29:someone-else' }] });
      assert.equal(await h.core.store.subscriptions.get('teams', TEAM), undefined);
      await h.send(added);
      assert.equal((await h.core.store.subscriptions.get('teams', TEAM))?.active, true);
      assert.equal(h.connector.posts().length, 0, 'installing posts nothing');
    });

    it('installing twice keeps one subscription', async () => {
      await h.send(h.activity('installation-update-add'));
      await h.send(h.activity('conversation-update-members-added'));
      assert.equal((await h.core.store.subscriptions.listActive('teams')).length, 1);
    });
  });

  describe('the request form and card actions', () => {
    beforeEach(async () => {
      h = await teamsHarness();
    });

    const formInvoke = (formId: string, data: Json) => {
      const invoke = h.activity('invoke-action-verb', { replyToId: formId });
      const value = {
        action: { type: 'Action.Execute', verb: 'createRequest', data: { action: 'createRequest', ...data } },
      };
      return { ...invoke, value };
    };

    it('a request without arguments shows the form; submitting it makes the request once and replaces the form', async () => {
      await h.send(mention(h, 'request relationship'));
      const form = cardOf(h.connector.posts()[0]!.body);
      assert.ok(JSON.stringify(form).includes('"id":"customerName"'));
      const formId = 'msg-1';

      const bad = await h.send(
        formInvoke(formId, { customerName: 'Contoso', contactEmail: 'not-an-email', domain: '' }),
      );
      const badCard = (bad.body as Json)['value'] as Json;
      assert.equal((bad.body as Json)['statusCode'], 200, 'the form comes back with the problems');
      assert.ok(stringsOf(badCard).some((s) => /email/i.test(s)));
      assert.deepEqual(await h.core.store.requests.list({ limit: 10 }), []);

      const data = { customerName: 'Contoso Ltd', contactEmail: 'admin@contoso.com', domain: 'contoso.com' };
      const ok = await h.send(formInvoke(formId, data));
      assert.ok(stringsOf((ok.body as Json)['value']).includes('Contoso Ltd'));
      const request = await onlyRequest(h);
      assert.equal(request.domain, 'contoso.com');
      assert.equal(request.card?.messageId, formId, 'the form message became the request card');
      assert.equal(h.connector.updates().at(-1)?.activityId, formId);

      await h.send(formInvoke(formId, data));
      await onlyRequest(h);
    });

    it('refresh answers the current card without changing anything', async () => {
      await h.send(mention(h, 'request relationship Contoso Ltd admin@contoso.com'));
      const request = await onlyRequest(h);
      h.connector.reset();
      const invoke = h.activity('invoke-action-verb', { replyToId: 'msg-1', requestId: request.id });
      const res = await h.send({
        ...invoke,
        value: {
          action: { type: 'Action.Execute', verb: 'refresh', data: { requestId: request.id } },
          trigger: 'automatic',
        },
      });
      assert.equal((res.body as Json)['statusCode'], 200);
      assert.equal(h.connector.calls.length, 0);
      assert.deepEqual(await onlyRequest(h), request);
    });

    it('cancel closes the request and takes the buttons away; a second cancel is harmless', async () => {
      await h.send(mention(h, 'request relationship Contoso Ltd admin@contoso.com'));
      const request = await onlyRequest(h);
      const cancel = () => {
        const invoke = h.activity('invoke-action-verb', {
          replyToId: request.card?.messageId ?? '',
          requestId: request.id,
        });
        return h.send({
          ...invoke,
          value: {
            action: { type: 'Action.Execute', verb: 'cancel', data: { action: 'cancel', requestId: request.id } },
          },
        });
      };
      const first = await cancel();
      const card = (first.body as Json)['value'] as Json;
      assert.equal((await onlyRequest(h)).status, 'cancelled');
      assert.deepEqual(
        (card['actions'] as { title: string }[]).map((a) => a.title),
        ['Open in email app'],
      );
      const updates = h.connector.updates().length;
      const second = await cancel();
      assert.equal((second.body as Json)['statusCode'], 200);
      assert.equal(h.connector.updates().length, updates, 'nothing changed, nothing updated');
    });

    const refusals: [string, Json | null, number, RegExp][] = [
      ['an invoke without an action', null, 400, /card action is missing/],
      ['an unknown verb', { type: 'Action.Execute', verb: 'deleteEverything', data: {} }, 400, /not supported/],
      ['an action without a type', {}, 400, /no type/],
      ['Action.Submit', { type: 'Action.Submit', data: { action: 'markSent' } }, 400, /not supported/],
      ['no request id', { type: 'Action.Execute', verb: 'markSent', data: {} }, 400, /does not name a request/],
      [
        'an unknown request',
        { type: 'Action.Execute', verb: 'markSent', data: { requestId: 'RR-ZZZZZ' } },
        400,
        /no request RR-ZZZZZ/,
      ],
      [
        'a draft over 3,000 characters',
        {
          type: 'Action.Execute',
          verb: 'saveDraft',
          data: { requestId: '{id}', draftSubject: 's', draftBody: 'x'.repeat(3001) },
        },
        400,
        /3,?000/,
      ],
    ];
    for (const [what, action, statusCode, reason] of refusals) {
      it(`refuses ${what} with the reason in an error response, changing nothing`, async () => {
        await h.send(mention(h, 'request relationship Contoso Ltd admin@contoso.com'));
        const request = await onlyRequest(h);
        const value = JSON.parse(JSON.stringify({ action }).replace('{id}', request.id)) as Json;
        h.connector.reset();
        const res = await h.send({ ...h.activity('invoke-action-verb', { replyToId: 'msg-1' }), value });
        assert.equal(res.status, 200);
        assert.equal((res.body as Json)['statusCode'], statusCode);
        assert.equal((res.body as Json)['type'], 'application/vnd.microsoft.error');
        assert.match(((res.body as Json)['value'] as { message: string }).message, reason);
        assert.deepEqual(await onlyRequest(h), request);
        assert.equal(h.connector.calls.length, 0);
      });
    }

    it('a card action from another workspace cannot touch the request', async () => {
      await h.send(mention(h, 'request relationship Contoso Ltd admin@contoso.com'));
      const request = await onlyRequest(h);
      const other = '22222222-3333-4444-5555-666666666666';
      const invoke = h.activity('invoke-action-no-verb', { replyToId: 'msg-1', requestId: request.id });
      const res = await h.send({
        ...invoke,
        conversation: { ...(invoke['conversation'] as Json), tenantId: other },
        channelData: { tenant: { id: other } },
      });
      assert.equal((res.body as Json)['statusCode'], 400);
      assert.equal((await onlyRequest(h)).status, 'draft');
    });
  });

  describe('switched off', () => {
    it('with TEAMS_ENABLED=false the route says so with a 404 and nothing runs', async () => {
      h = await teamsHarness({ TEAMS_ENABLED: 'false' });
      const res = await h.send(mention(h, 'request relationship Contoso Ltd admin@contoso.com'));
      assert.equal(res.status, 404);
      assert.equal(res.body?.['error'], 'turned_off');
      assert.match(String(res.body['message']), /TEAMS_ENABLED=false/);
      assert.deepEqual(await h.core.store.requests.list({ limit: 10 }), []);
      assert.equal(h.connector.calls.length, 0);
    });
  });
});
