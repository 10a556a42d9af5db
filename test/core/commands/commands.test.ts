import { strict as assert } from 'node:assert';
import { attachCard } from '../../../src/core/actions/attach-card.js';
import { handleCommand } from '../../../src/core/dispatch.js';
import { REQUEST_USAGE } from '../../../src/core/commands/request.js';
import type { Reply } from '../../../src/core/replies.js';
import type { CardModels } from '../../../src/core/views/models.js';
import { changeStatus } from '../../../src/core/requests/state-machine.js';
import { containsLinkIntact } from '../../../src/core/requests/draft.js';
import { coreHarness, input, RESELLER_LINK, type Harness } from '../../support/core-harness.js';

function cardData<K extends keyof CardModels>(reply: Reply, name: K): CardModels[K] {
  assert.equal(reply.kind, 'card', JSON.stringify(reply));
  assert.equal(reply.card, name);
  return reply.data as CardModels[K];
}

function textOf(reply: Reply): string {
  assert.equal(reply.kind, 'text', JSON.stringify(reply));
  return reply.text;
}

describe('chat commands (core use cases on the embedded store)', () => {
  let h: Harness;
  let link: string;
  beforeEach(async () => {
    h = await coreHarness();
    link = await RESELLER_LINK.resellerLink();
  });
  afterEach(async () => {
    await h.close();
  });
  const run = (text: string, overrides = {}) => handleCommand(h.deps, input(text, overrides));

  describe('request relationship', () => {
    it('creates a draft request and answers with its card for the whole conversation', async () => {
      const reply = await run('request relationship Contoso Ltd admin@contoso.com', { messageId: 'act-1' });
      assert.equal(reply.audience, 'conversation');
      const card = cardData(reply, 'request');
      assert.equal(card.requestId, 'RR-00001');
      assert.equal(card.customerName, 'Contoso Ltd');
      assert.equal(card.contactEmail, 'admin@contoso.com');
      assert.equal(card.domain, 'contoso.com', 'the domain defaults to the email domain');
      assert.equal(card.requestedBy, 'Ana Lopez');
      assert.equal(card.status, 'draft');
      assert.equal(card.adminAccess, 'not-requested');
      assert.equal(card.resellerLink, link);
      assert.ok(containsLinkIntact(card.body, link));
      assert.ok(card.mailto.startsWith('mailto:admin@contoso.com?subject='));
      assert.deepEqual([card.canSaveDraft, card.canMarkSent, card.canCancel], [true, true, true]);
      assert.equal(card.createdAtText, '23 Nov 2026, 10:00 UTC');

      const stored = await h.store.requests.get('RR-00001');
      assert.equal(stored?.scope, `teams:${input('').tenant}`);
      assert.equal(stored.customerKey, 'contoso');
      assert.equal(stored.originKey, 'teams:19:general@thread.tacv2:act-1');
      assert.deepEqual(stored.timeline, [
        {
          type: 'created',
          at: '2026-11-23T10:00:00.000Z',
          actor: { kind: 'user', platform: 'teams', id: '29:1ana', name: 'Ana Lopez' },
        },
      ]);
    });

    it('accepts the short form and an explicit domain', async () => {
      const card = cardData(await run('request Fabrikam GmbH it@fabrikam.de domain fabrikam.com'), 'request');
      assert.equal(card.customerName, 'Fabrikam GmbH');
      assert.equal(card.domain, 'fabrikam.com');
    });

    it('never creates a second request for a re-delivered message; its card is shown again, not made again', async () => {
      await run('request relationship Contoso Ltd admin@contoso.com', { messageId: 'act-1' });
      // its card never went out (the process died first): the replay gives the same request's card to post
      const again = await run('request relationship Contoso Ltd admin@contoso.com', { messageId: 'act-1' });
      assert.equal(cardData(again, 'request').requestId, 'RR-00001');
      assert.equal(again.kind === 'card' ? again.existing : 'text', undefined);
      // once its card is out, a replay points at that card (shown in place, not posted again)
      const card = { platform: 'teams', conversationId: '19:general@thread.tacv2', messageId: 'm-1' } as const;
      await attachCard(h.deps, 'RR-00001', card);
      const third = await run('request relationship Contoso Ltd admin@contoso.com', { messageId: 'act-1' });
      assert.deepEqual(third.kind === 'card' ? third.existing : undefined, card);
      assert.equal(await h.store.requests.count({}), 1);
    });

    it('handles a concurrent re-delivery of the same message: one request', async () => {
      const replies = await Promise.all(
        [1, 2, 3].map(() => run('request relationship Contoso Ltd admin@contoso.com', { messageId: 'act-9' })),
      );
      assert.deepEqual(
        replies.map((r) => cardData(r, 'request').requestId),
        ['RR-00001', 'RR-00001', 'RR-00001'],
      );
      assert.equal(await h.store.requests.count({}), 1);
    });

    it('retries with a fresh id when the random id collides', async () => {
      h.ids.queue.push('RR-AAAAA', 'RR-AAAAA', 'RR-BBBBB');
      await run('request Contoso admin@contoso.com');
      const second = cardData(await run('request Fabrikam it@fabrikam.com'), 'request');
      assert.equal(second.requestId, 'RR-BBBBB');
    });

    it('opens the form, empty, when nothing was given', async () => {
      const reply = await run('request relationship');
      assert.equal(reply.audience, 'user');
      const form = cardData(reply, 'request-form');
      assert.deepEqual(form, {
        customerName: '',
        contactEmail: '',
        domain: '',
        tenant: '',
        customerNameError: '',
        contactEmailError: '',
        domainError: '',
        tenantError: '',
        message: 'Who should receive the reseller relationship invitation?',
        usage: REQUEST_USAGE,
      });
      assert.equal(await h.store.requests.count({}), 0);
    });

    it('opens the form prefilled with what was typed and what is wrong, and stores nothing', async () => {
      const form = cardData(await run('request relationship Contoso Ltd admin@contoso'), 'request-form');
      assert.equal(form.customerName, 'Contoso Ltd');
      assert.equal(form.contactEmail, 'admin@contoso');
      assert.match(form.contactEmailError, /not a valid email address/);
      assert.equal(form.customerNameError, '');

      const noEmail = cardData(await run('request relationship Contoso Ltd'), 'request-form');
      assert.equal(noEmail.contactEmailError, 'The contact email is missing.');

      const badDomain = cardData(await run('request Contoso a@contoso.com domain not_a_domain'), 'request-form');
      assert.match(badDomain.domainError, /not a domain name/);

      const longName = cardData(await run(`request ${'x'.repeat(101)} a@b.com`), 'request-form');
      assert.match(longName.customerNameError, /101 characters/);

      const extra = cardData(await run('request Contoso a@contoso.com thanks'), 'request-form');
      assert.match(extra.contactEmailError, /Unexpected words after the email: "thanks"/);
      assert.equal(await h.store.requests.count({}), 0);
    });

    it('keeps the tenant given with the request; a value that is no tenant opens the form saying why', async () => {
      const bad = cardData(await run('request Northwind it@northwind.com tenant northwind.com'), 'request-form');
      assert.match(bad.tenantError, /is not a tenant/);
      assert.equal(bad.tenant, 'northwind.com', 'shown back as typed');
      assert.equal(await h.store.requests.count({}), 0);
      const guid = '4B2A6E33-8791-4386-BD2B-0D55BAF25039';
      await run(`request Northwind it@northwind.com tenant ${guid}`);
      await run('request Fabrikam it@fabrikam.com tenant:FabrikamInc.onmicrosoft.com');
      const [fabrikam, northwind] = await h.store.requests.list({ limit: 5 });
      assert.equal(northwind?.customerTenantId, guid.toLowerCase());
      assert.equal(fabrikam?.tenantDomain, 'fabrikaminc.onmicrosoft.com');
    });

    it('does not call names of only punctuation similar to each other', async () => {
      await run('request +++ a@a-example.com');
      const card = cardData(await run('request *** b@b-example.com'), 'request');
      assert.deepEqual(card.notes, []);
    });

    it('notes another open request for the same customer', async () => {
      await run('request Contoso Ltd admin@contoso.com');
      const card = cardData(await run('request CONTOSO LIMITED it@contoso.com'), 'request');
      assert.deepEqual(card.notes, ['Note: RR-00001 for the same customer is still open.']);
    });
  });

  describe('list', () => {
    beforeEach(async () => {
      for (const name of ['Alpha', 'Bravo', 'Charlie', 'Delta']) {
        await run(`request ${name} it@${name.toLowerCase()}.com`);
        h.clock.advance(60 * 60 * 1000);
      }
      const bravo = await h.store.requests.get('RR-00002');
      await h.store.requests.update(
        'RR-00002',
        1,
        changeStatus(bravo!, 'accepted', { kind: 'system', name: 'PC' }, 'x')!,
      );
      const charlie = await h.store.requests.get('RR-00003');
      await h.store.requests.update(
        'RR-00003',
        1,
        changeStatus(charlie!, 'cancelled', { kind: 'system', name: 'PC' }, 'x')!,
      );
      await run('request Echo it@echo.com', { platform: 'slack', tenant: 'T123' });
    });

    it('shows open requests newest first by default, with age, only to the asker', async () => {
      const reply = await run('list');
      assert.equal(reply.audience, 'user');
      const list = cardData(reply, 'list');
      assert.equal(list.title, 'Open relationship requests');
      assert.deepEqual(
        list.items.map((i) => [i.requestId, i.customerName, i.status, i.age]),
        [
          ['RR-00004', 'Delta', 'draft', '1 h'],
          ['RR-00001', 'Alpha', 'draft', '4 h'],
        ],
      );
      assert.equal(list.total, 2);
      assert.equal(list.more, '');
    });

    it('filters accepted and all, and never shows another workspace', async () => {
      assert.deepEqual(
        cardData(await run('list accepted'), 'list').items.map((i) => i.requestId),
        ['RR-00002'],
      );
      assert.deepEqual(
        cardData(await run('list ALL'), 'list').items.map((i) => i.requestId),
        ['RR-00004', 'RR-00003', 'RR-00002', 'RR-00001'],
      );
      const slack = cardData(await run('list', { platform: 'slack', tenant: 'T123' }), 'list');
      assert.deepEqual(
        slack.items.map((i) => i.customerName),
        ['Echo'],
      );
    });

    it('says when there is more than it shows', async () => {
      for (let i = 0; i < 21; i++) await run(`request Bulk ${i} it@bulk${i}.com`);
      const list = cardData(await run('list'), 'list');
      assert.equal(list.items.length, 20);
      assert.equal(list.more, 'Showing the newest 20 of 23.');
    });

    it('explains a wrong filter with the usage', async () => {
      assert.equal(
        textOf(await run('list pending')),
        '"list" shows open, accepted or all requests — "pending" is not one of them.\nUsage: list [open|accepted|all]',
      );
    });

    it('has a friendly empty state', async () => {
      const list = cardData(await run('list', { tenant: 'other-tenant' }), 'list');
      assert.deepEqual(list.items, []);
      assert.match(list.emptyText, /No open requests/);
    });
  });

  describe('status', () => {
    beforeEach(async () => {
      await run('request Contoso Ltd admin@contoso.com');
    });

    it('re-posts the card with the full timeline, by id in any case', async () => {
      await run('cancel RR-00001');
      for (const text of ['status RR-00001', 'status rr-00001', 'status 00001']) {
        const reply = await run(text);
        assert.equal(reply.audience, 'conversation');
        const status = cardData(reply, 'status');
        assert.equal(status.request.requestId, 'RR-00001');
        assert.equal(status.request.status, 'cancelled');
        assert.deepEqual(
          status.timeline.map((t) => t.text),
          ['Ana Lopez created the request', 'Ana Lopez cancelled the request'],
        );
        assert.deepEqual(
          [status.request.canCancel, status.request.canMarkSent, status.request.canSaveDraft],
          [false, false, false],
        );
      }
    });

    it('finds a request by customer name, however it is written', async () => {
      assert.equal(cardData(await run('status contoso limited'), 'status').request.requestId, 'RR-00001');
      assert.equal(cardData(await run('status "Contoso, Ltd."'), 'status').request.requestId, 'RR-00001');
    });

    it('lists the candidates when several requests match a name', async () => {
      await run('request Contoso it@contoso.com');
      const list = cardData(await run('status Contoso'), 'list');
      assert.deepEqual(
        list.items.map((i) => i.requestId),
        ['RR-00002', 'RR-00001'],
      );
      assert.match(list.more, /use "status <request id>"/);
    });

    it('says clearly when nothing matches, and hides other workspaces', async () => {
      assert.equal(textOf(await run('status RR-ZZZZZ')), 'There is no request RR-ZZZZZ in this workspace.');
      assert.equal(
        textOf(await run('status Fabrikam')),
        'No request for a customer called "Fabrikam". Try "list all" to see every request.',
      );
      assert.equal(
        textOf(await run('status RR-00001', { platform: 'slack', tenant: 'T1' })),
        'There is no request RR-00001 in this workspace.',
      );
      assert.match(textOf(await run('status')), /Which request\?.*\nUsage: status <request id \| customer name>/);
    });
  });

  describe('cancel', () => {
    beforeEach(async () => {
      await run('request Contoso Ltd admin@contoso.com');
    });

    it('cancels an open request for everyone to see; a second cancel changes nothing', async () => {
      const first = await run('cancel rr-00001');
      assert.equal(textOf(first), 'Request RR-00001 for Contoso Ltd is cancelled.');
      assert.equal(first.audience, 'conversation');
      assert.equal(textOf(await run('cancel RR-00001')), 'Request RR-00001 for Contoso Ltd was already cancelled.');
      const stored = await h.store.requests.get('RR-00001');
      assert.equal(stored?.status, 'cancelled');
      assert.equal(stored.timeline.length, 2);
      assert.equal(stored.version, 2);
    });

    it('refuses to cancel an accepted request, saying why', async () => {
      const r = await h.store.requests.get('RR-00001');
      await h.store.requests.update('RR-00001', 1, changeStatus(r!, 'accepted', { kind: 'system', name: 'PC' }, 'x')!);
      assert.equal(
        textOf(await run('cancel RR-00001')),
        "Request RR-00001 is already accepted by the customer, so it can't be cancelled.",
      );
    });

    it('explains a missing or malformed id', async () => {
      assert.match(
        textOf(await run('cancel')),
        /Which request\? Give its id, for example RR-7K2Q9\.\nUsage: cancel <request id>/,
      );
      assert.match(textOf(await run('cancel Contoso')), /"Contoso" is not a request id/);
      assert.equal(textOf(await run('cancel RR-ZZZZZ')), 'There is no request RR-ZZZZZ in this workspace.');
    });
  });

  describe('subscribe and unsubscribe', () => {
    it('subscribes the current channel once, and unsubscribes it', async () => {
      const first = await run('subscribe');
      assert.match(textOf(first), /This channel will now get notifications/);
      assert.equal(first.audience, 'conversation');
      assert.equal(textOf(await run('subscribe')), 'This channel already gets notifications.');
      const [sub] = await h.store.subscriptions.listActive();
      assert.deepEqual(
        [sub?.platform, sub?.channelId, sub?.channelName, sub?.createdBy],
        ['teams', '19:general@thread.tacv2', 'General', 'Ana Lopez'],
      );
      assert.equal(textOf(await run('unsubscribe')), 'This channel will no longer get notifications.');
      assert.equal(textOf(await run('unsubscribe')), 'This channel was not getting notifications.');
      assert.deepEqual(await h.store.subscriptions.listActive(), []);
    });

    it('refuses arguments instead of guessing another channel', async () => {
      assert.match(textOf(await run('subscribe #sales')), /takes no arguments/);
      assert.match(textOf(await run('unsubscribe #sales')), /takes no arguments/);
      assert.deepEqual(await h.store.subscriptions.listActive(), []);
    });
  });

  describe('help and the unknown', () => {
    it('lists every command with usage and examples', async () => {
      const help = cardData(await run('help'), 'help');
      assert.equal(help.notice, '');
      assert.equal(help.commands.length, 7);
      assert.ok(help.examples.includes('request relationship Contoso Ltd admin@contoso.com'));
    });

    it('answers anything unrecognised with help and what it did not understand', async () => {
      const help = cardData(await run('hello there'), 'help');
      assert.equal(help.notice, 'Sorry, I didn\'t understand "hello there".');
      const hinted = cardData(await run('invite Contoso admin@contoso.com'), 'help');
      assert.match(hinted.notice, /start with "request relationship"/);
      assert.equal(cardData(await run(''), 'help').notice, '');
      assert.match(cardData(await run('x'.repeat(500)), 'help').notice, /x…"\.$/);
    });
  });
});
