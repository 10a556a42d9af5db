/**
 * Webhooks as Partner Center delivers them: repeated, late, and out of order. Whatever the emulator's knobs say, each
 * channel hears about each change once.
 */
import { strict as assert } from 'node:assert';
import { eventually } from '../support/eventually.js';
import { teamsFixture } from '../support/teams.js';
import { watchHarness } from '../support/watch.js';
import { EMULATOR_TOKENS } from '../../src/adapters/partner-center/tokens.js';

type H = Awaited<ReturnType<typeof watchHarness>>;

describe('webhooks repeated, late and out of order', function () {
  let h: H;
  beforeEach(async () => {
    h = await watchHarness();
    await h.teams(teamsFixture('installation-update-add', { serviceUrl: h.connector.url }));
  });
  afterEach(async () => {
    await h.stop();
  });

  it('refuses knobs out of range and changes nothing', async () => {
    for (const body of [{ copies: 0 }, { copies: 9 }, { delayMs: -1 }, { outOfOrder: 'yes' }, {}, { enabled: 'no' }]) {
      assert.equal((await h.control('webhooks', body)).status, 400, JSON.stringify(body));
    }
    assert.equal((await h.control('realism', { lockDelayMs: 1.5 })).status, 400);
    const state = (await (await fetch(new URL('/emulator/control/state', h.app.url))).json()) as {
      realism: Record<string, unknown>;
    };
    assert.equal(state.realism['webhookCopies'], 2, 'the default: every webhook twice');
    assert.equal(state.realism['webhookOutOfOrder'], true);
  });

  it('three copies of each event, activated before approved: one notice per channel for each change', async () => {
    const contoso = await h.teamsRequest();
    assert.equal((await h.control('webhooks', { copies: 3, outOfOrder: true })).status, 200);
    h.connector.reset();
    h.slack.reset();
    const log = h.app.app.emulator?.state.webhookLog ?? [];
    const before = log.length;
    await h.control(`gdap/${contoso.gdapRelationshipId ?? ''}/approve`);
    await h.settle();
    const delivered = log.slice(before).map((a) => a.eventName);
    assert.deepEqual(delivered, [
      ...Array<string[]>(3)
        .fill(['granular-admin-relationship-activated', 'granular-admin-relationship-approved'])
        .flat(),
    ]);
    assert.deepEqual(h.teamsNotices(), ['Admin access (GDAP) approved']);
    assert.equal(h.slackNotices().length, 1);
  });

  it('a webhook that arrives after the reconciler saw the change adds nothing', async () => {
    const contoso = await h.teamsRequest();
    assert.equal((await h.control('webhooks', { delayMs: 400, copies: 1 })).status, 200);
    h.connector.reset();
    h.slack.reset();
    await h.control('customers', { companyName: 'Contoso Ltd' });
    assert.equal(await h.app.app.scheduler.runNow('reconciler'), true);
    await eventually(
      async () => ((await h.core.store.requests.get(contoso.id))?.status === 'accepted' ? true : undefined),
      'the reconciler’s acceptance',
    );
    await h.settle(); // the late webhook lands and is handled
    const log = h.app.app.emulator?.state.webhookLog ?? [];
    assert.ok(log.some((a) => a.eventName === 'reseller-relationship-accepted-by-customer' && a.status === 200));
    assert.deepEqual(h.teamsNotices(), ['Customer accepted the reseller relationship']);
    assert.equal(h.slackNotices().length, 1);
  });
});

describe('the emulator locks for approval asynchronously, as Graph does', () => {
  it('answers 201 with a request that is only created; the relationship follows', async () => {
    const h = await watchHarness();
    try {
      const graph = new URL('/emulator/graph/tenantRelationships/delegatedAdminRelationships', h.app.url);
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${EMULATOR_TOKENS.app}` };
      const created = await fetch(graph, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          displayName: 'Async lock test',
          duration: 'P730D',
          accessDetails: { unifiedRoles: [{ roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10' }] },
        }),
      });
      const relationship = (await created.json()) as { id: string };
      const lock = await fetch(`${graph.toString()}/${relationship.id}/requests`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ action: 'lockForApproval' }),
      });
      assert.equal(lock.status, 201);
      const request = (await lock.json()) as { id: string; status: string };
      assert.equal(request.status, 'created', 'not done yet when answered');
      await h.app.app.emulator?.webhooks.settled();
      const after = (await (await fetch(`${graph.toString()}/${relationship.id}`, { headers })).json()) as {
        status: string;
      };
      assert.equal(after.status, 'approvalPending');
      const progress = (await (
        await fetch(`${graph.toString()}/${relationship.id}/requests/${request.id}`, { headers })
      ).json()) as { status: string };
      assert.equal(progress.status, 'succeeded');
    } finally {
      await h.stop();
    }
  });
});
