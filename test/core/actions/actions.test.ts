import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { attachCard } from '../../../src/core/actions/attach-card.js';
import { cancelRequest } from '../../../src/core/actions/cancel-request.js';
import { markSent } from '../../../src/core/actions/mark-sent.js';
import { saveDraft } from '../../../src/core/actions/save-draft.js';
import type { ActionInput } from '../../../src/core/actions/types.js';
import { handleCommand } from '../../../src/core/dispatch.js';
import {
  ConflictError,
  IllegalTransitionError,
  NotFoundError,
  PermissionError,
  ValidationError,
} from '../../../src/core/errors.js';
import { coreHarness, input, RESELLER_LINK, TEAMS_TENANT, type Harness } from '../../support/core-harness.js';

describe('card actions', () => {
  let h: Harness;
  let link: string;
  const press = (overrides: Partial<ActionInput> = {}): ActionInput => ({
    platform: 'teams',
    tenant: TEAMS_TENANT,
    user: { id: '29:1bo', name: 'Bo Chen', aadObjectId: 'aad-bo' },
    requestId: 'RR-00001',
    ...overrides,
  });

  beforeEach(async () => {
    h = await coreHarness();
    link = await RESELLER_LINK.resellerLink();
    await handleCommand(h.deps, input('request relationship Contoso Ltd admin@contoso.com'));
    h.clock.advance(60_000);
  });
  afterEach(async () => {
    sinon.restore();
    await h.close();
  });

  describe('save draft', () => {
    it('stores an edited draft that keeps the link, with who and when', async () => {
      const { request, changed } = await saveDraft(h.deps, {
        ...press(),
        body: `Hi Contoso team,\r\nplease accept: ${link}\r\n`,
      });
      assert.equal(changed, true);
      assert.equal(request.draft.body, `Hi Contoso team,\nplease accept: ${link}`);
      assert.equal(request.version, 2);
      assert.deepEqual(request.timeline.at(-1), {
        type: 'draft-saved',
        at: '2026-11-23T10:01:00.000Z',
        actor: { kind: 'user', platform: 'teams', id: '29:1bo', name: 'Bo Chen' },
      });
      assert.equal(
        request.draft.subject,
        'Northwind Partners invites Contoso Ltd to a Microsoft reseller relationship',
      );
    });

    it('refuses a draft without the link and leaves the stored request exactly as it was', async () => {
      const before = await h.store.requests.get('RR-00001');
      await assert.rejects(saveDraft(h.deps, { ...press(), body: 'Please accept, thanks!' }), (err) => {
        assert.ok(err instanceof ValidationError);
        assert.deepEqual(Object.keys(err.problems), ['body']);
        assert.match(err.message, /reseller relationship link exactly as it was/);
        return true;
      });
      assert.deepEqual(await h.store.requests.get('RR-00001'), before);
    });

    it('refuses a draft over 3,000 characters, changing nothing', async () => {
      const before = await h.store.requests.get('RR-00001');
      await assert.rejects(saveDraft(h.deps, { ...press(), body: `${'x'.repeat(3000)} ${link}` }), /at most 3,000/);
      assert.deepEqual(await h.store.requests.get('RR-00001'), before);
    });

    it('treats saving the same text again as nothing to do', async () => {
      const { request } = await saveDraft(h.deps, { ...press(), body: `Hello ${link}` });
      const again = await saveDraft(h.deps, { ...press(), body: `Hello ${link}` });
      assert.equal(again.changed, false);
      assert.equal(again.request.version, request.version);
    });

    it('refuses edits once the request is closed', async () => {
      await cancelRequest(h.deps, press());
      await assert.rejects(saveDraft(h.deps, { ...press(), body: `Hello ${link}` }), (err) => {
        assert.ok(err instanceof ConflictError);
        assert.equal(err.message, 'Request RR-00001 is cancelled; its draft can no longer be changed.');
        return true;
      });
    });

    it('keeps both of two concurrent changes (the loser of the version race retries on fresh state)', async () => {
      const [saved, sent] = await Promise.all([
        saveDraft(h.deps, { ...press(), body: `Edited ${link}` }),
        markSent(h.deps, press()),
      ]);
      assert.ok(saved.changed && sent.changed);
      const stored = await h.store.requests.get('RR-00001');
      assert.equal(stored?.status, 'sent');
      assert.equal(stored.draft.body, `Edited ${link}`);
      assert.equal(stored.version, 3);
      // Both entries are there, after "created", in whichever order the race was won.
      assert.equal(stored.timeline[0]?.type, 'created');
      assert.deepEqual(
        stored.timeline
          .slice(1)
          .map((e) => e.type)
          .sort(),
        ['draft-saved', 'status'],
      );
    });

    it('gives up with a clear conflict after repeated version races (fault injected)', async () => {
      const conflict = new ConflictError(
        'Request RR-00001 was changed by someone else at the same time; please try again.',
        'version',
      );
      const update = sinon.stub(h.store.requests, 'update').rejects(conflict);
      await assert.rejects(markSent(h.deps, press()), conflict);
      assert.equal(update.callCount, 4);
    });
  });

  describe('mark as sent', () => {
    it('moves draft → sent once; a double click is a no-op', async () => {
      const first = await markSent(h.deps, press());
      const second = await markSent(h.deps, press());
      assert.deepEqual([first.changed, second.changed], [true, false]);
      assert.equal(second.request.status, 'sent');
      assert.equal(second.request.timeline.length, 2);
    });

    it('is refused after cancel with the reason', async () => {
      await cancelRequest(h.deps, press());
      await assert.rejects(markSent(h.deps, press()), IllegalTransitionError);
    });
  });

  describe('who may press', () => {
    it('hides requests of other workspaces and missing ones alike', async () => {
      await assert.rejects(markSent(h.deps, press({ tenant: 'another-tenant' })), NotFoundError);
      await assert.rejects(markSent(h.deps, press({ requestId: 'RR-ZZZZZ' })), NotFoundError);
    });

    it('enforces REQUESTERS (Entra object id or platform user id) for every change', async () => {
      h.deps = {
        ...h.deps,
        settings: {
          ...h.deps.settings,
          access: { allowedTeamsTenants: [], allowedSlackTeams: [], requesters: ['AAD-ANA', 'U0SLACK'] },
        },
      };
      await assert.rejects(markSent(h.deps, press()), PermissionError);
      await assert.rejects(saveDraft(h.deps, { ...press(), body: link }), PermissionError);
      await assert.rejects(cancelRequest(h.deps, press()), PermissionError);
      const ana = press({ user: { id: '29:1ana', name: 'Ana', aadObjectId: 'aad-ana' } });
      assert.equal((await markSent(h.deps, ana)).changed, true);
      const slackUser = press({ platform: 'slack', tenant: 'T1', user: { id: 'U0SLACK', name: 'S' } });
      await assert.rejects(markSent(h.deps, slackUser), NotFoundError, 'allowed person, but not their workspace');
    });

    it('enforces the workspace allow-lists for commands and actions', async () => {
      h.deps = {
        ...h.deps,
        settings: {
          ...h.deps.settings,
          access: {
            allowedTeamsTenants: [TEAMS_TENANT.toUpperCase()],
            allowedSlackTeams: ['T0ALLOWED'],
            requesters: [],
          },
        },
      };
      const fromElsewhere = await handleCommand(
        h.deps,
        input('list', { tenant: '11111111-1111-1111-1111-111111111111' }),
      );
      assert.deepEqual(fromElsewhere, {
        kind: 'text',
        text: 'This bot is not enabled for your Microsoft 365 organisation.',
        tone: 'error',
        audience: 'user',
      });
      const slack = await handleCommand(h.deps, input('help', { platform: 'slack', tenant: 'T0OTHER' }));
      assert.equal(slack.kind === 'text' && slack.text, 'This bot is not enabled for this Slack workspace.');
      assert.equal((await handleCommand(h.deps, input('list'))).kind, 'card', 'tenant ids compare case-insensitively');
      await assert.rejects(markSent(h.deps, press({ platform: 'slack', tenant: 'T0OTHER' })), PermissionError);
    });

    it('refuses request and cancel commands to non-requesters, and allows read-only commands', async () => {
      h.deps = {
        ...h.deps,
        settings: {
          ...h.deps.settings,
          access: { allowedTeamsTenants: [], allowedSlackTeams: [], requesters: ['someone-else'] },
        },
      };
      const refused = await handleCommand(h.deps, input('request Fabrikam it@fabrikam.com'));
      assert.match(refused.kind === 'text' ? refused.text : '', /Only the people listed as requesters/);
      const cancel = await handleCommand(h.deps, input('cancel RR-00001'));
      assert.equal(cancel.kind === 'text' && cancel.tone, 'error');
      assert.equal((await h.store.requests.get('RR-00001'))?.status, 'draft');
      assert.equal(await h.store.requests.count({}), 1);
      assert.equal((await handleCommand(h.deps, input('list'))).kind, 'card');
      assert.equal((await handleCommand(h.deps, input('status RR-00001'))).kind, 'card');
    });
  });

  it('remembers where the card was posted, without a timeline entry', async () => {
    const location = {
      platform: 'teams',
      conversationId: '19:general@thread.tacv2',
      messageId: '1700000000000',
    } as const;
    const request = await attachCard(h.deps, 'RR-00001', location);
    assert.deepEqual(request.card, location);
    assert.equal(request.timeline.length, 1);
    assert.equal((await attachCard(h.deps, 'RR-00001', location)).version, request.version, 'same place: no write');
  });

  it('lets errors that are not ours reach the adapter (they are bugs, not user mistakes)', async () => {
    sinon.stub(h.store.requests, 'count').rejects(new TypeError('boom'));
    await assert.rejects(handleCommand(h.deps, input('list')), TypeError);
  });
});
