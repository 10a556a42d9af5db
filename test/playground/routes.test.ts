/**
 * The playground's server side over real HTTP: the page and its assets, the Bot Connector the bot posts to (as
 * botbuilder calls it), the event stream, what the page may report, the request list and the reconciler button —
 * and that production and a Teams-less local mode do not serve it.
 */
import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { StorageUnavailableError } from '../../src/core/errors.js';
import { MESSAGES_PER_CONVERSATION, Transcript } from '../../src/playground/transcript.js';
import { startTestApp } from '../support/app.js';
import { openEvents } from '../support/sse.js';
import { teamsFixture, type Json } from '../support/teams.js';

interface PlaygroundConfig {
  tenantId: string;
  serviceUrl: string;
  chat: { id: string };
  channel: { id: string };
  channelSubscribed: boolean;
}

async function post(url: string, body: unknown, method = 'POST') {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json | undefined };
}

describe('playground routes', () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let config: PlaygroundConfig;
  const url = (path: string) => new URL(path, t.url).toString();
  const connector = (path: string) => `${config.serviceUrl}v3/conversations/${path}`;

  before(async () => {
    t = await startTestApp();
    config = (await (await fetch(url('/playground/config'))).json()) as PlaygroundConfig;
  });
  after(async () => {
    sinon.restore();
    await t.stop();
  });

  it('serves the page with a strict content security policy, and its three assets', async () => {
    const page = await fetch(url('/'));
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self';/);
    const html = await page.text();
    assert.match(html, /adaptivecards\.min\.js/);
    for (const [asset, type] of [
      ['app.js', /javascript/],
      ['app.css', /css/],
      ['adaptivecards.min.js', /javascript/],
    ] as const) {
      const res = await fetch(url(`/playground/assets/${asset}`));
      assert.equal(res.status, 200, asset);
      assert.match(res.headers.get('content-type') ?? '', type, asset);
      await res.arrayBuffer();
    }
    assert.equal((await fetch(url('/playground/assets/..%2Fpackage.json'))).status, 404);
    assert.equal((await fetch(url('/playground/assets/secrets.json'))).status, 404);
  });

  it('tells the page who it is: the tenant, the conversations and its own connector as serviceUrl', () => {
    assert.equal(config.tenantId, '00000000-0000-4000-8000-00000000f00d');
    assert.equal(config.serviceUrl, `${t.url}/playground/connector/`);
    assert.equal(config.channelSubscribed, false);
  });

  it('is a Bot Connector: posts, replies, updates and deletes reach the event stream', async () => {
    const events = await openEvents(url('/playground/events'));
    try {
      assert.equal(events.status, 200);
      assert.match(events.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal((await events.next()).event, 'snapshot');

      const conversation = encodeURIComponent(`${config.channel.id};messageid=17`);
      const card = { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } };
      const sent = await post(connector(`${conversation}/activities`), {
        type: 'message',
        from: { id: '28:bot', name: 'Bot' },
        attachments: [card],
        summary: 'hi',
      });
      assert.equal(sent.status, 200);
      const id = String(sent.body?.['id']);
      const added = (await events.next()) as { event: string; data: { message: Json } };
      assert.equal(added.event, 'message');
      assert.equal(added.data.message['conversationId'], config.channel.id, 'the thread suffix is dropped');
      assert.deepEqual(added.data.message['attachments'], [card]);

      const reply = await post(connector(`${conversation}/activities/17`), { type: 'message', text: 'in thread' });
      const replied = (await events.next()) as { data: { message: Json } };
      assert.equal(replied.data.message['replyToId'], '17');
      assert.notEqual(reply.body?.['id'], id, 'every post gets its own id');

      // typing indicators are accepted and shown nowhere; an update of a message no longer shown changes nothing
      assert.equal((await post(connector(`${conversation}/activities`), { type: 'typing' })).status, 200);
      assert.equal(
        (await post(connector(`${conversation}/activities/pg-old-1`), { type: 'message' }, 'PUT')).status,
        200,
      );

      await post(connector(`${conversation}/activities/${id}`), { type: 'message', text: 'changed' }, 'PUT');
      const updated = (await events.next()) as { event: string; data: { message: Json } };
      assert.equal(updated.event, 'update', 'the next event is the update: typing and the stale update emitted none');
      assert.equal(updated.data.message['text'], 'changed');
      assert.equal(typeof updated.data.message['updatedAt'], 'string');

      assert.equal((await fetch(connector(`${conversation}/activities/${id}`), { method: 'DELETE' })).status, 200);
      assert.deepEqual((await events.next()).data, { kind: 'delete', conversationId: config.channel.id, id });
    } finally {
      await events.close();
    }
  });

  it('answers what it does not serve as the Bot Connector would, and refuses bad bodies', async () => {
    const res = await fetch(connector('x/members'));
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'NotSupported');
    assert.equal((await post(connector('x/activities'), '{"type":')).status, 400);
    assert.equal((await post(connector('x/activities'), '[1]')).status, 400);
  });

  it('records what the user typed, and refuses anything else', async () => {
    const ok = await post(url('/playground/messages'), {
      conversationId: config.chat.id,
      id: '1700000000001',
      text: 'help',
    });
    assert.equal(ok.status, 201);
    const bad: [Json, string][] = [
      [{ conversationId: 'a:someone-else', id: '1', text: 'x' }, 'bad_conversation'],
      [{ conversationId: config.chat.id, id: '<script>', text: 'x' }, 'bad_id'],
      [{ conversationId: config.chat.id, id: '1', text: '' }, 'bad_text'],
      [{ conversationId: config.chat.id, id: '1', text: 'x'.repeat(28_001) }, 'bad_text'],
      [{ conversationId: config.chat.id, id: '1', text: 42 }, 'bad_text'],
    ];
    for (const [body, error] of bad) {
      const res = await post(url('/playground/messages'), body);
      assert.deepEqual([res.status, res.body?.['error']], [400, error], JSON.stringify(body).slice(0, 80));
    }
    const events = await openEvents(url('/playground/events'));
    try {
      const snapshot = (await events.next()).data as Record<string, Json[]>;
      const typed = (snapshot[config.chat.id] ?? []).filter((m) => (m['from'] as Json)['role'] === 'user');
      assert.deepEqual(
        typed.map((m) => m['text']),
        ['help'],
      );
    } finally {
      await events.close();
    }
  });

  it('lists the playground tenant’s requests for the customer panel, and runs the reconciler on demand', async () => {
    const activity = {
      ...teamsFixture('personal-message', { serviceUrl: config.serviceUrl }),
      id: '1700000000002',
      text: 'request relationship Contoso Ltd admin@contoso.com domain contoso.com',
      conversation: { conversationType: 'personal', tenantId: config.tenantId, id: config.chat.id },
      channelData: { tenant: { id: config.tenantId } },
    };
    assert.equal((await post(url('/api/messages'), activity)).status, 200);
    const res = await fetch(url('/playground/requests'));
    assert.equal(res.status, 200);
    const { requests } = (await res.json()) as { requests: Json[] };
    assert.equal(requests.length, 1);
    assert.deepEqual(
      { name: requests[0]?.['customerName'], status: requests[0]?.['status'], admin: requests[0]?.['adminAccess'] },
      { name: 'Contoso Ltd', status: 'draft', admin: 'pending' },
    );
    assert.equal(typeof requests[0]?.['gdapRelationshipId'], 'string');
    assert.equal(requests[0]?.['customerTenantId'], null);
    // the card went through the playground's connector into the chat
    const events = await openEvents(url('/playground/events'));
    try {
      const snapshot = (await events.next()).data as Record<string, Json[]>;
      const bot = (snapshot[config.chat.id] ?? []).filter((m) => (m['from'] as Json)['role'] === 'bot');
      assert.equal(bot.length, 1);
    } finally {
      await events.close();
    }

    assert.deepEqual((await post(url('/playground/reconcile'), {})).body, { ran: true });
  });

  it('answers 503 with the reason when the store is down', async () => {
    const fault = sinon
      .stub(t.app.core.store.subscriptions, 'get')
      .rejects(new StorageUnavailableError('MongoDB did not answer within 5 s'));
    try {
      const res = await fetch(url('/playground/config'));
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '5');
      assert.equal(((await res.json()) as { message: string }).message, 'MongoDB did not answer within 5 s');
    } finally {
      fault.restore();
    }
  });

  it('ends its event streams on shutdown instead of holding it up', async () => {
    const other = await startTestApp();
    const events = await openEvents(new URL('/playground/events', other.url).toString());
    await events.next();
    await other.stop();
    await events.waitForEnd();
    assert.equal(events.ended, true);
    assert.equal(
      other.logs.entries().some((e) => e.msg === 'shutdown: open connections were cut after the drain period'),
      false,
    );
  });
});

describe('playground where it does not belong', () => {
  it('answers 404 at / in local mode with Teams off, saying why', async () => {
    const t = await startTestApp({ TEAMS_ENABLED: 'false' });
    try {
      const res = await fetch(new URL('/', t.url));
      assert.equal(res.status, 404);
      assert.match(((await res.json()) as { message: string }).message, /needs Teams on/);
      assert.equal((await fetch(new URL('/playground/config', t.url))).status, 404);
    } finally {
      await t.stop();
    }
  });
});

describe('playground transcript', () => {
  it('keeps the latest messages of each conversation', () => {
    const transcript = new Transcript();
    const changes: string[] = [];
    const stop = transcript.listen((change) => changes.push(change.kind));
    for (let i = 0; i < MESSAGES_PER_CONVERSATION + 5; i++) {
      transcript.add({
        id: `m${i}`,
        conversationId: 'c',
        from: { id: 'u', name: 'U', role: 'user' },
        text: String(i),
        attachments: [],
        timestamp: new Date(0).toISOString(),
      });
    }
    stop();
    const kept = transcript.messages('c');
    assert.equal(kept.length, MESSAGES_PER_CONVERSATION);
    assert.equal(kept[0]?.id, 'm5');
    assert.equal(changes.length, MESSAGES_PER_CONVERSATION + 5);
    assert.equal(
      transcript.update('c', 'm0', (m) => m),
      false,
      'a message that fell off cannot be updated',
    );
    assert.equal(transcript.remove('nowhere', 'm1'), false);
    assert.deepEqual(transcript.messages('nowhere'), []);
  });

  it('keeps at most 50 conversations, dropping the oldest', () => {
    const transcript = new Transcript();
    for (let i = 0; i < 52; i++) {
      transcript.add({
        id: 'm',
        conversationId: `c${i}`,
        from: { id: 'u', name: 'U', role: 'user' },
        attachments: [],
        timestamp: new Date(0).toISOString(),
      });
    }
    const kept = Object.keys(transcript.snapshot());
    assert.equal(kept.length, 50);
    assert.deepEqual([kept[0], kept.at(-1)], ['c2', 'c51']);
  });
});
