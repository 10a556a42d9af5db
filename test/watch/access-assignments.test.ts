/**
 * GDAP rights made usable: on approval the bot assigns the configured roles to the partner's security groups,
 * follows the assignments to active (webhooks, and the reconciler when webhooks are lost), and the channels hear
 * "ready to use" once. A refused assignment shows on the card with a retry that works. Prints the lifecycle.
 */
import { strict as assert } from 'node:assert';
import { EMULATOR_TOKENS } from '../../src/adapters/partner-center/tokens.js';
import { DEFAULT_GDAP_ROLES } from '../../src/config.js';
import type { RelationshipRequest } from '../../src/core/model.js';
import { eventually } from '../support/eventually.js';
import { slackClick, watchHarness, type WatchHarness } from '../support/watch.js';

const HELPDESK = '0b5c8f4e-1111-4a8e-9c3e-5a3b2f9d0a01';
const ENGINEERS = '0b5c8f4e-2222-4a8e-9c3e-5a3b2f9d0a02';
const [READERS, GLOBAL_READER, SUPPORT] = DEFAULT_GDAP_ROLES;
const ASSIGNMENTS = `${HELPDESK}=${READERS},${GLOBAL_READER}; ${ENGINEERS}=${SUPPORT}`;
const READY = 'Admin access is ready to use';

describe('access assignments: GDAP rights that can be used', function () {
  let h: WatchHarness;
  const lines: string[] = [];
  beforeEach(async () => {
    h = await watchHarness({ GDAP_ACCESS_ASSIGNMENTS: ASSIGNMENTS });
  });
  afterEach(async () => {
    await h.stop();
  });
  after(() => {
    // eslint-disable-next-line no-console -- the lifecycle is what this suite shows
    console.log(`      lifecycle:\n${lines.map((l) => `        ${l}`).join('\n')}`);
  });

  const stored = async (id: string) => (await h.core.store.requests.get(id)) as RelationshipRequest;
  const statuses = (r: RelationshipRequest) =>
    (r.accessAssignments ?? []).map((a) => `${a.groupId.slice(9, 13)}:${a.status}`);

  it('approval → two groups assigned → both active → one "ready to use" per channel', async () => {
    const request = await h.slackRequest();
    lines.push(`${request.id}: requested, admin access ${request.adminAccess}`);
    h.slack.reset();
    h.connector.reset();
    assert.equal((await h.control(`gdap/${request.gdapRelationshipId ?? ''}/approve`)).status, 200);
    await h.settle();
    const after = await stored(request.id);
    assert.equal(after.adminAccess, 'granted');
    assert.deepEqual(statuses(after), ['1111:active', '2222:active']);
    const emulated = [...(h.app.app.emulator?.state.accessAssignments.values() ?? [])];
    assert.deepEqual(
      emulated.map((a) => [a.groupId, a.roles, a.status]),
      [
        [HELPDESK, [READERS, GLOBAL_READER], 'active'],
        [ENGINEERS, [SUPPORT], 'active'],
      ],
    );
    const delivered = (h.app.app.emulator?.state.webhookLog ?? []).map((w) => w.eventName);
    assert.ok(delivered.includes('granular-admin-access-assignment-activated'), 'webhooks for the assignments');
    assert.deepEqual(h.slackNotices(), [
      `Admin access (GDAP) approved: Fabrikam GmbH (${request.id})`,
      `${READY}: Fabrikam GmbH (${request.id})`,
    ]);
    const approved = JSON.stringify(h.slack.of('chat.postMessage')[0]?.body);
    assert.ok(approved.includes('Assigning the roles to 2 of your security groups'), approved);
    const card = JSON.stringify(h.slack.of('chat.update').at(-1)?.body);
    assert.ok(card.includes('assigned to 2 security groups: ready to use'), card);
    lines.push(
      `customer approves → assignments ${statuses(after).join(', ')} → notices: ${h
        .slackNotices()
        .map((n) => n.split(':')[0])
        .join(' | ')}`,
    );

    // the reconciler and a late copy of a webhook add nothing
    await h.app.app.scheduler.runNow('reconciler');
    await h.settle();
    assert.equal(h.slackNotices().filter((n) => n.startsWith(READY)).length, 1, 'ready once');
  });

  it('one assignment refused → the card says why and offers Retry → retried → active → ready once', async () => {
    const request = await h.slackRequest();
    assert.equal((await h.control('access-assignments', { refuseNext: 1 })).status, 200);
    h.slack.reset();
    await h.control(`gdap/${request.gdapRelationshipId ?? ''}/approve`);
    await h.settle();
    const failed = await stored(request.id);
    assert.deepEqual(statuses(failed), ['1111:failed', '2222:active']);
    assert.match(failed.accessAssignments?.[0]?.problem ?? '', /refused the access assignment .* was not found/);
    const card = JSON.stringify(h.slack.of('chat.update').at(-1)?.body);
    assert.ok(card.includes('assignment failed for 1 of 2 security groups'), card);
    assert.ok(card.includes('retry_admin_access'), 'a retry button');
    assert.equal(h.slackNotices().filter((n) => n.startsWith(READY)).length, 0, 'not ready: nobody is told so');
    lines.push(
      `refused once → ${statuses(failed).join(', ')}; card: "assignment failed for 1 of 2 security groups" + Retry`,
    );

    const channel = failed.conversationId;
    assert.equal(
      await slackClick(h, failed.card?.messageId ?? '', 'retry_admin_access', request.id, 'trigger-retry', channel),
      200,
    );
    const retried = await eventually(async () => {
      const r = await stored(request.id);
      return statuses(r).join() === '1111:active,2222:active' ? r : undefined;
    }, 'both assignments active after the retry');
    await h.settle();
    assert.equal(h.slackNotices().filter((n) => n.startsWith(READY)).length, 1, 'ready once');
    assert.equal(h.app.app.emulator?.state.accessAssignments.size, 2, 'no second assignment for the active group');
    lines.push(`Retry → ${statuses(retried).join(', ')} → "${READY}" once`);
  });

  it('webhooks lost: the reconciler follows the assignments to active and announces once', async () => {
    const request = await h.teamsRequest();
    await h.control('webhooks', { enabled: false });
    await h.control(`gdap/${request.gdapRelationshipId ?? ''}/approve`);
    await h.app.app.scheduler.runNow('reconciler');
    await h.settle();
    await h.app.app.scheduler.runNow('reconciler');
    await h.settle();
    const after = await stored(request.id);
    assert.deepEqual(statuses(after), ['1111:active', '2222:active']);
    assert.deepEqual(h.teamsNotices().slice(-2), ['Admin access (GDAP) approved', READY]);
    await h.app.app.scheduler.runNow('reconciler');
    await h.settle();
    assert.equal(h.teamsNotices().filter((n) => n === READY).length, 1);
    lines.push(`webhooks off → reconciler: ${statuses(after).join(', ')} → "${READY}" once`);
  });
});

describe('access assignments: the emulator as strict as Graph, and the client', function () {
  let h: WatchHarness;
  beforeEach(async () => {
    h = await watchHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('refuses what Graph refuses; a second assignment for a group is found, not made', async () => {
    const request = await h.slackRequest();
    const relationship = request.gdapRelationshipId ?? '';
    const url = new URL(
      `/emulator/graph/tenantRelationships/delegatedAdminRelationships/${relationship}/accessAssignments`,
      h.app.url,
    );
    const post = async (body: unknown) =>
      (
        await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${EMULATOR_TOKENS.app}` },
          body: JSON.stringify(body),
        })
      ).status;
    const valid = {
      accessContainer: { accessContainerId: HELPDESK, accessContainerType: 'securityGroup' },
      accessDetails: { unifiedRoles: [{ roleDefinitionId: READERS }] },
    };
    assert.equal(await post(valid), 400, 'not active yet');
    await h.control(`gdap/${relationship}/approve`);
    await h.settle();
    assert.equal(
      await post({
        ...valid,
        accessDetails: { unifiedRoles: [{ roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10' }] },
      }),
      400,
      'a role the relationship does not have',
    );
    assert.equal(
      await post({ ...valid, accessContainer: { accessContainerId: 'x', accessContainerType: 'securityGroup' } }),
      400,
    );
    const directory = h.core.directory;
    assert.ok(directory);
    const first = await directory.assignAccess(relationship, { groupId: HELPDESK, roles: [READERS] });
    assert.equal(first.status, 'pending');
    assert.equal(await post(valid), 409, 'the group has one already');
    const again = await directory.assignAccess(relationship, { groupId: HELPDESK, roles: [READERS] });
    assert.equal(again.id, first.id, 'the client answers a 409 with the existing assignment');
    await h.control('access-assignments', { refuseNext: 1 });
    await assert.rejects(
      directory.assignAccess(relationship, { groupId: ENGINEERS, roles: [SUPPORT] }),
      (err: Error) => {
        assert.match(err.message, /refused the access assignment for group .* \(400\): BadRequest: The security group/);
        return true;
      },
    );
    assert.equal((await h.control('access-assignments', { refuseNext: -1 })).status, 400);
    await h.settle();
    assert.deepEqual(
      (await directory.accessAssignments(relationship)).map((a) => a.status),
      ['active'],
    );
    await h.control(`gdap/${relationship}/terminate`);
    await h.settle();
    assert.deepEqual(
      (await directory.accessAssignments(relationship)).map((a) => a.status),
      ['deleted'],
      'a relationship that ends takes its assignments with it',
    );
  });
});

describe('access assignments: configuration', function () {
  it('refuses bad GDAP_ACCESS_ASSIGNMENTS at start-up, one line per problem', async () => {
    const { loadConfig } = await import('../../src/config.js');
    assert.throws(
      () =>
        loadConfig({
          GDAP_ACCESS_ASSIGNMENTS: `not-a-group=${READERS}; ${HELPDESK}=62e90394-69f5-4237-9190-012177145e10; ${ENGINEERS}`,
        }),
      (err: Error) => {
        const text = err.message;
        assert.match(text, /"not-a-group=.*": the group must be a security group's object id/);
        assert.match(text, /62e90394-69f5-4237-9190-012177145e10 not among the requested roles \(GDAP_ROLES\)/);
        assert.match(text, new RegExp(`"${ENGINEERS}" must be <security group object id>=<role id>`));
        return true;
      },
    );
  });

  it('without assignments configured, the approval says who can use the rights: nobody yet, and where to assign them', async () => {
    const h = await watchHarness();
    try {
      const request = await h.slackRequest();
      h.slack.reset();
      await h.control(`gdap/${request.gdapRelationshipId ?? ''}/approve`);
      await h.settle();
      const approved = JSON.stringify(h.slack.of('chat.postMessage').map((m) => m.body));
      assert.ok(
        approved.includes('Nobody in your organisation can use these rights until they are assigned'),
        approved,
      );
      assert.equal(h.app.app.emulator?.state.accessAssignments.size, 0);
      assert.equal(h.slackNotices().filter((n) => n.startsWith(READY)).length, 0);
    } finally {
      await h.stop();
    }
  });
});
