/**
 * The contract every `Store` implementation passes (docs/architecture.md): the embedded store always, MongoDB whenever
 * MONGODB_URI is set. Each test gets a fresh, empty store from `open`.
 */
import { strict as assert } from 'node:assert';
import { ConflictError, NotFoundError } from '../../src/core/errors.js';
import type { RelationshipRequest, TimelineEntry } from '../../src/core/model.js';
import type { NewJob } from '../../src/core/outbox/types.js';
import type { Store } from '../../src/core/ports.js';
import type { EventPayload } from '../../src/core/watch/event-job.js';
import { applyChange, changeAdminAccess, changeDraft, changeStatus } from '../../src/core/requests/state-machine.js';

export interface StoreUnderTest {
  readonly store: Store;
  /** close the store and delete what it wrote */
  dispose(): Promise<void>;
}

const AT = '2026-11-23T10:00:00.000Z';
const ANA = { kind: 'user', platform: 'teams', id: '29:1ana', name: 'Ana Lopez' } as const;

/** Partner Center saw admin rights the customer had granted revoked: the timeline entry notifications look at. */
export function revokedAfterGrant(at: string): TimelineEntry {
  return { type: 'adminAccess', from: 'granted', to: 'revoked', at, actor: { kind: 'system', name: 'Partner Center' } };
}

export function request(id: string, overrides: Partial<RelationshipRequest> = {}): RelationshipRequest {
  return {
    id,
    scope: 'teams:tenant-a',
    customerName: 'Contoso Ltd',
    customerKey: 'contoso',
    contactEmail: 'admin@contoso.com',
    domain: 'contoso.com',
    requester: { platform: 'teams', id: '29:1ana', name: 'Ana Lopez', aadObjectId: 'aad-ana' },
    conversationId: '19:general@thread.tacv2',
    draft: { subject: 'Invitation', body: 'Hello, please accept: https://example.test/link' },
    resellerLink: 'https://example.test/link',
    status: 'draft',
    adminAccess: 'not-requested',
    timeline: [{ type: 'created', at: AT, actor: ANA }],
    createdAt: AT,
    updatedAt: AT,
    version: 1,
    ...overrides,
  };
}

export function storeContract(name: string, open: () => Promise<StoreUnderTest>, skipReason?: string): void {
  describe(skipReason ? `${name} store contract (skipped: ${skipReason})` : `${name} store contract`, function () {
    let sut: StoreUnderTest;
    let store: Store;

    before(function () {
      if (skipReason) this.skip();
    });
    beforeEach(async () => {
      sut = await open();
      store = sut.store;
    });
    afterEach(async () => {
      await sut.dispose();
    });

    describe('requests', () => {
      it('stores a request and reads it back unchanged', async () => {
        const r = request('RR-00001', { gdapRelationshipId: 'g-1', originKey: 'teams:c:1' });
        await store.requests.insert(r);
        assert.deepEqual(await store.requests.get('RR-00001'), r);
        assert.equal(await store.requests.get('RR-ZZZZZ'), undefined);
      });

      it('does not store undefined fields (they read back absent)', async () => {
        await store.requests.insert(request('RR-00001', { customerTenantId: undefined }));
        const back = await store.requests.get('RR-00001');
        assert.ok(back);
        assert.equal('customerTenantId' in back, false);
      });

      it('refuses a second request with the same id as a duplicate conflict', async () => {
        await store.requests.insert(request('RR-00001'));
        await assert.rejects(store.requests.insert(request('RR-00001', { customerName: 'Other' })), (err) => {
          return err instanceof ConflictError && err.reason === 'duplicate';
        });
        assert.equal((await store.requests.get('RR-00001'))?.customerName, 'Contoso Ltd');
      });

      it('refuses a second request from the same message (origin key)', async () => {
        await store.requests.insert(request('RR-00001', { originKey: 'teams:c:activity-1' }));
        await assert.rejects(
          store.requests.insert(request('RR-00002', { originKey: 'teams:c:activity-1' })),
          (err) => err instanceof ConflictError && err.reason === 'duplicate',
        );
        assert.equal(await store.requests.count({}), 1);
        assert.equal((await store.requests.findByOriginKey('teams:c:activity-1'))?.id, 'RR-00001');
      });

      it('allows many requests without an origin key', async () => {
        await store.requests.insert(request('RR-00001'));
        await store.requests.insert(request('RR-00002'));
        assert.equal(await store.requests.count({}), 2);
      });

      it('finds by GDAP relationship id and by customer key within a scope', async () => {
        await store.requests.insert(request('RR-00001', { gdapRelationshipId: 'rel-1' }));
        await store.requests.insert(request('RR-00002', { createdAt: '2026-11-23T11:00:00.000Z' }));
        await store.requests.insert(request('RR-00003', { scope: 'slack:T1' }));
        await store.requests.insert(request('RR-00004', { customerKey: 'fabrikam', customerName: 'Fabrikam' }));
        assert.equal((await store.requests.findByGdapRelationshipId('rel-1'))?.id, 'RR-00001');
        assert.equal(await store.requests.findByGdapRelationshipId('rel-2'), undefined);
        const found = await store.requests.findByCustomerKey('teams:tenant-a', 'contoso');
        assert.deepEqual(
          found.map((r) => r.id),
          ['RR-00002', 'RR-00001'],
        );
      });

      it('finds by customer tenant across workspaces, and filters lists by admin access', async () => {
        await store.requests.insert(request('RR-00001', { customerTenantId: 'tid-1', adminAccess: 'pending' }));
        await store.requests.insert(
          request('RR-00002', { customerTenantId: 'tid-1', scope: 'slack:T1', createdAt: '2026-11-23T11:00:00.000Z' }),
        );
        await store.requests.insert(request('RR-00003', { adminAccess: 'granted' }));
        assert.deepEqual(
          (await store.requests.findByCustomerTenantId('tid-1')).map((r) => r.id),
          ['RR-00002', 'RR-00001'],
        );
        assert.deepEqual(await store.requests.findByCustomerTenantId('tid-2'), []);
        const watched = await store.requests.list({ adminAccess: ['pending', 'granted'], limit: 10 });
        assert.deepEqual(watched.map((r) => r.id).sort(), ['RR-00001', 'RR-00003']);
        assert.equal(await store.requests.count({ adminAccess: ['granted'] }), 1);
      });

      it('lists newest first, filtered by scope and status, limited, and counts the same filter', async () => {
        const statuses = ['draft', 'sent', 'accepted', 'cancelled', 'draft'] as const;
        for (const [i, status] of statuses.entries()) {
          await store.requests.insert(request(`RR-0000${i + 1}`, { status, createdAt: `2026-11-2${i}T10:00:00.000Z` }));
        }
        await store.requests.insert(request('RR-00009', { scope: 'slack:T1', createdAt: '2026-11-29T10:00:00.000Z' }));

        const open = await store.requests.list({ scope: 'teams:tenant-a', statuses: ['draft', 'sent'], limit: 10 });
        assert.deepEqual(
          open.map((r) => r.id),
          ['RR-00005', 'RR-00002', 'RR-00001'],
        );
        assert.equal(await store.requests.count({ scope: 'teams:tenant-a', statuses: ['draft', 'sent'] }), 3);
        const limited = await store.requests.list({ scope: 'teams:tenant-a', limit: 2 });
        assert.deepEqual(
          limited.map((r) => r.id),
          ['RR-00005', 'RR-00004'],
        );
        assert.equal(await store.requests.count({ scope: 'teams:tenant-a' }), 5);
        const everywhere = await store.requests.list({ statuses: ['draft'], limit: 10 });
        assert.deepEqual(
          everywhere.map((r) => r.id),
          ['RR-00009', 'RR-00005', 'RR-00001'],
        );
        assert.equal(await store.requests.count({}), 6);
      });

      it('applies a change atomically: fields set, timeline appended, version bumped, updatedAt set', async () => {
        const r = request('RR-00001');
        await store.requests.insert(r);
        const change = changeStatus(r, 'sent', ANA, '2026-11-23T12:00:00.000Z');
        assert.ok(change);
        const updated = await store.requests.update('RR-00001', 1, change);
        assert.deepEqual(updated, applyChange(r, change));
        assert.equal(updated.version, 2);
        assert.equal(updated.status, 'sent');
        assert.equal(updated.timeline.length, 2);
        assert.deepEqual(await store.requests.get('RR-00001'), updated);
      });

      it('refuses a change made against a stale version and leaves the stored request alone', async () => {
        const r = request('RR-00001');
        await store.requests.insert(r);
        const first = changeStatus(r, 'sent', ANA, '2026-11-23T12:00:00.000Z');
        const second = changeStatus(r, 'cancelled', ANA, '2026-11-23T12:00:01.000Z');
        assert.ok(first && second);
        await store.requests.update('RR-00001', 1, first);
        await assert.rejects(
          store.requests.update('RR-00001', 1, second),
          (err) => err instanceof ConflictError && err.reason === 'version',
        );
        const stored = await store.requests.get('RR-00001');
        assert.equal(stored?.status, 'sent');
        assert.equal(stored.version, 2);
      });

      it('lets exactly one of several concurrent updates of the same version win', async () => {
        const r = request('RR-00001');
        await store.requests.insert(r);
        const changes = Array.from({ length: 8 }, (_, i) =>
          changeDraft(r, { subject: 'S', body: `edit ${i} https://example.test/link` }, ANA, AT),
        );
        const results = await Promise.allSettled(changes.map((c) => store.requests.update('RR-00001', 1, c!)));
        assert.equal(results.filter((x) => x.status === 'fulfilled').length, 1);
        assert.ok(
          results.every(
            (x) => x.status === 'fulfilled' || (x.reason instanceof ConflictError && x.reason.reason === 'version'),
          ),
        );
        assert.equal((await store.requests.get('RR-00001'))?.version, 2);
      });

      it('answers not-found for an update of a request that does not exist', async () => {
        const change = changeStatus(request('RR-00001'), 'sent', ANA, AT);
        await assert.rejects(store.requests.update('RR-00001', 1, change!), NotFoundError);
      });

      it('removes a field set to undefined by a change', async () => {
        const r = request('RR-00001', { gdapLink: 'https://example.test/gdap' });
        await store.requests.insert(r);
        const updated = await store.requests.update('RR-00001', 1, {
          at: AT,
          set: { gdapLink: undefined },
          append: [],
        });
        assert.equal('gdapLink' in updated, false);
      });

      it('keeps the GDAP relationship id unique across requests', async () => {
        await store.requests.insert(request('RR-00001', { gdapRelationshipId: 'rel-1' }));
        const other = request('RR-00002');
        await store.requests.insert(other);
        await assert.rejects(
          store.requests.update('RR-00002', 1, { at: AT, set: { gdapRelationshipId: 'rel-1' }, append: [] }),
          (err) => err instanceof ConflictError && err.reason === 'duplicate',
        );
      });

      it('stores admin-access changes and their timeline entries with notes', async () => {
        const r = request('RR-00001');
        await store.requests.insert(r);
        const change = changeAdminAccess(r, 'pending', { kind: 'system', name: 'GDAP' }, AT, 'relationship rel-1');
        const updated = await store.requests.update('RR-00001', 1, change!);
        assert.equal(updated.adminAccess, 'pending');
        assert.deepEqual(updated.timeline[1], {
          type: 'adminAccess',
          from: 'not-requested',
          to: 'pending',
          at: AT,
          actor: { kind: 'system', name: 'GDAP' },
          note: 'relationship rel-1',
        });
      });
    });

    describe('subscriptions', () => {
      const sub = {
        platform: 'teams',
        scope: 'teams:tenant-a',
        channelId: '19:general@thread.tacv2',
        channelName: 'General',
        createdBy: 'Ana Lopez',
        createdAt: AT,
      } as const;

      it('subscribes once; a repeat says it already existed', async () => {
        const first = await store.subscriptions.subscribe(sub);
        assert.equal(first.created, true);
        assert.equal(first.subscription.active, true);
        assert.equal(first.subscription.channelName, 'General');
        const again = await store.subscriptions.subscribe(sub);
        assert.equal(again.created, false);
        assert.equal((await store.subscriptions.listActive()).length, 1);
      });

      it('unsubscribes, reports whether it was active, and can subscribe again', async () => {
        assert.equal(await store.subscriptions.unsubscribe('teams', sub.channelId, AT), false);
        await store.subscriptions.subscribe(sub);
        assert.equal(await store.subscriptions.unsubscribe('teams', sub.channelId, AT), true);
        assert.equal(await store.subscriptions.unsubscribe('teams', sub.channelId, AT), false);
        assert.deepEqual(await store.subscriptions.listActive(), []);
        assert.equal((await store.subscriptions.subscribe(sub)).created, true);
      });

      it('disables with a reason (kept for operators) and re-enables on subscribe', async () => {
        await store.subscriptions.subscribe(sub);
        await store.subscriptions.disable('teams', sub.channelId, 'BotNotInConversationRoster', AT);
        const disabled = await store.subscriptions.get('teams', sub.channelId);
        assert.equal(disabled?.active, false);
        assert.equal(disabled.disabledReason, 'BotNotInConversationRoster');
        const back = await store.subscriptions.subscribe({ ...sub, createdAt: '2026-11-24T10:00:00.000Z' });
        assert.equal(back.created, true);
        assert.equal(back.subscription.active, true);
        assert.equal(back.subscription.disabledReason, undefined);
      });

      it('lists active subscriptions per platform', async () => {
        await store.subscriptions.subscribe(sub);
        await store.subscriptions.subscribe({ ...sub, platform: 'slack', scope: 'slack:T1', channelId: 'C123' });
        await store.subscriptions.subscribe({ ...sub, platform: 'slack', scope: 'slack:T1', channelId: 'C456' });
        await store.subscriptions.unsubscribe('slack', 'C456', AT);
        assert.deepEqual(
          (await store.subscriptions.listActive('slack')).map((s) => s.channelId),
          ['C123'],
        );
        assert.equal((await store.subscriptions.listActive()).length, 2);
      });

      it('keeps one subscription when the same channel subscribes concurrently', async () => {
        const results = await Promise.all(Array.from({ length: 5 }, () => store.subscriptions.subscribe(sub)));
        assert.equal(results.filter((r) => r.created).length, 1);
        assert.equal((await store.subscriptions.listActive()).length, 1);
      });
    });

    describe('conversation references', () => {
      const record = {
        key: 'teams:19:general@thread.tacv2',
        platform: 'teams',
        scope: 'teams:tenant-a',
        conversationId: '19:general@thread.tacv2',
        reference: {
          serviceUrl: 'https://smba.example/emea/',
          conversation: { id: '19:x', 'odd.key': 1, $weird: true },
        },
        updatedAt: AT,
      } as const;

      it('saves, replaces, lists and removes opaque references (any keys)', async () => {
        await store.conversations.save(record);
        assert.deepEqual(await store.conversations.get(record.key), record);
        const newer = {
          ...record,
          reference: { serviceUrl: 'https://smba.example/amer/' },
          updatedAt: '2026-11-24T00:00:00.000Z',
        };
        await store.conversations.save(newer);
        assert.deepEqual(await store.conversations.list('teams'), [newer]);
        assert.deepEqual(await store.conversations.list('slack'), []);
        assert.equal(await store.conversations.remove(record.key), true);
        assert.equal(await store.conversations.remove(record.key), false);
        assert.equal(await store.conversations.get(record.key), undefined);
      });
    });

    describe('outbox', () => {
      const now = new Date(AT);
      const later = (ms: number) => new Date(now.getTime() + ms);
      // payload values with characters document stores treat specially, kept exactly
      const payload: EventPayload = {
        event: {
          kind: 'customer-accepted',
          tenantId: 'T-1',
          customer: { tenantId: 'T-1', companyName: 'a.b $x', domains: ['a.b'], relationshipToPartner: 'reseller' },
        },
        source: 'webhook',
        detectedAt: AT,
      };
      const item = (key: string, dueAt = now): NewJob => ({ key, topic: 'event', payload, dueAt });

      it('enqueues each key once', async () => {
        assert.equal(await store.outbox.enqueue([item('e1:c1'), item('e1:c2')], now), 2);
        assert.equal(await store.outbox.enqueue([item('e1:c1'), item('e1:c3')], now), 1);
        assert.equal(await store.outbox.enqueue([], now), 0);
        const stored = await store.outbox.get('e1:c1');
        assert.equal(stored?.state, 'pending');
        assert.equal(stored.attempts, 0);
        assert.equal(stored.topic, 'event');
        assert.deepEqual(stored.payload, payload);
      });

      it('accepts jobs for the next claim, once per key, together with enqueued ones', async () => {
        await store.outbox.enqueue([item('a1')], now);
        await Promise.all([
          store.outbox.accept([item('a1'), item('a2')], now),
          store.outbox.accept([item('a3')], now),
          store.outbox.accept([item('a2')], now),
        ]);
        const claimed = await store.outbox.claimDue(now, 'w', 30_000, 10);
        assert.deepEqual(claimed.map((i) => i.key).sort(), ['a1', 'a2', 'a3']);
        assert.deepEqual(claimed.find((i) => i.key === 'a2')?.payload, payload);
        assert.equal((await store.outbox.get('a3'))?.lockedBy, 'w');
      });

      it('claims due items for one owner at a time, in due order, up to the limit', async () => {
        await store.outbox.enqueue(
          [item('b', later(-1000)), item('a', later(-2000)), item('future', later(60_000))],
          now,
        );
        const first = await store.outbox.claimDue(now, 'worker-1', 30_000, 10);
        assert.deepEqual(
          first.map((i) => i.key),
          ['a', 'b'],
        );
        assert.equal(first[0]?.lockedBy, 'worker-1');
        assert.equal(first[0].attempts, 1);
        assert.deepEqual(await store.outbox.claimDue(now, 'worker-2', 30_000, 10), []);
        const limited = await store.outbox.claimDue(later(120_000), 'worker-2', 30_000, 1);
        assert.equal(limited.length, 1);
      });

      it('never hands the same item to two concurrent claimers', async () => {
        await store.outbox.enqueue(
          Array.from({ length: 20 }, (_, i) => item(`k${String(i).padStart(2, '0')}`)),
          now,
        );
        const claims = await Promise.all(
          ['w1', 'w2', 'w3', 'w4'].map((owner) => store.outbox.claimDue(now, owner, 30_000, 20)),
        );
        const keys = claims.flat().map((i) => i.key);
        assert.equal(keys.length, 20);
        assert.equal(new Set(keys).size, 20);
      });

      it('lets another owner take over an item whose claim lapsed (a crashed worker)', async () => {
        await store.outbox.enqueue([item('k1')], now);
        await store.outbox.claimDue(now, 'crashed', 30_000, 10);
        assert.deepEqual(await store.outbox.claimDue(later(29_000), 'w2', 30_000, 10), []);
        const retaken = await store.outbox.claimDue(later(31_000), 'w2', 30_000, 10);
        assert.equal(retaken[0]?.attempts, 2);
        assert.equal(retaken[0].released, 0, 'the first claim never finished: the item is in doubt');
        assert.equal(await store.outbox.complete('k1', 'crashed', later(32_000)), false, 'the old owner lost it');
        assert.equal(await store.outbox.complete('k1', 'w2', later(32_000)), true);
        const done = await store.outbox.get('k1');
        assert.equal(done?.state, 'delivered');
        assert.equal(done.lockedBy, undefined);
      });

      it('reschedules with the error, and dead-letters', async () => {
        await store.outbox.enqueue([item('k1'), item('k2')], now);
        await store.outbox.claimDue(now, 'w1', 30_000, 10);
        assert.equal(await store.outbox.reschedule('k1', 'w1', later(5000), '429 Too Many Requests'), true);
        assert.deepEqual(await store.outbox.claimDue(later(4000), 'w1', 30_000, 10), []);
        const again = await store.outbox.claimDue(later(5000), 'w1', 30_000, 10);
        assert.deepEqual(
          again.map((i) => [i.key, i.attempts, i.released, i.lastError]),
          [['k1', 2, 1, '429 Too Many Requests']],
          'one claim ended in a reschedule: the second claim is not in doubt',
        );
        assert.equal(await store.outbox.kill('k2', 'w1', 'channel_not_found', later(6000)), true);
        const dead = await store.outbox.get('k2');
        assert.equal(dead?.state, 'dead');
        assert.equal(dead.lastError, 'channel_not_found');
        assert.equal(await store.outbox.complete('k2', 'w1', later(7000)), false, 'finished items stay finished');
      });

      it('purges finished items older than the cut-off, keeps pending ones', async () => {
        await store.outbox.enqueue([item('old'), item('new'), item('pending')], now);
        await store.outbox.claimDue(now, 'w', 30_000, 10);
        await store.outbox.complete('old', 'w', later(1000));
        await store.outbox.complete('new', 'w', later(100_000));
        const removed = await store.purge(later(200_000), later(50_000));
        assert.equal(removed, 1);
        assert.equal(await store.outbox.get('old'), undefined);
        assert.ok(await store.outbox.get('new'));
        assert.ok(await store.outbox.get('pending'));
      });
    });

    describe('dedupe', () => {
      const now = new Date(AT);
      const later = (ms: number) => new Date(now.getTime() + ms);

      it('tells whether a key was seen, without recording it', async () => {
        assert.equal(await store.dedupe.seen('evt-s', now), false);
        assert.equal(await store.dedupe.seen('evt-s', now), false, 'asking records nothing');
        await store.dedupe.firstSeen('evt-s', later(60_000), now);
        assert.equal(await store.dedupe.seen('evt-s', later(1000)), true);
        assert.equal(await store.dedupe.seen('evt-s', later(60_000)), false, 'expired');
      });

      it('says first-seen once per key until the record expires', async () => {
        assert.equal(await store.dedupe.firstSeen('evt-1', later(60_000), now), true);
        assert.equal(await store.dedupe.firstSeen('evt-1', later(60_000), later(1000)), false);
        assert.equal(await store.dedupe.firstSeen('evt-2', later(60_000), later(1000)), true);
        assert.equal(await store.dedupe.firstSeen('evt-1', later(120_000), later(60_000)), true, 'expired: new again');
        assert.equal(await store.dedupe.firstSeen('evt-1', later(120_000), later(61_000)), false);
      });

      it('lets exactly one of many concurrent deliveries through', async () => {
        const results = await Promise.all(
          Array.from({ length: 10 }, () => store.dedupe.firstSeen('evt-x', later(60_000), now)),
        );
        assert.equal(results.filter(Boolean).length, 1);
      });

      it('purges expired records', async () => {
        await store.dedupe.firstSeen('old', later(1000), now);
        await store.dedupe.firstSeen('new', later(100_000), now);
        assert.equal(await store.purge(later(2000), now), 1);
        assert.equal(await store.dedupe.firstSeen('new', later(200_000), later(3000)), false);
      });
    });

    describe('leases', () => {
      const now = new Date(AT);
      const later = (ms: number) => new Date(now.getTime() + ms);

      it('is held by one owner until it lapses or is released', async () => {
        assert.equal(await store.leases.acquire('reconciler', 'a', now, 60_000), true);
        assert.equal(await store.leases.acquire('reconciler', 'b', later(1000), 60_000), false);
        assert.equal(await store.leases.acquire('reconciler', 'a', later(2000), 60_000), true, 'renewed by its owner');
        assert.equal(
          await store.leases.acquire('reconciler', 'b', later(61_000), 60_000),
          false,
          'renewal moved expiry',
        );
        assert.equal(await store.leases.acquire('reconciler', 'b', later(62_001), 60_000), true, 'lapsed');
        await store.leases.release('reconciler', 'a');
        assert.equal(await store.leases.acquire('reconciler', 'a', later(63_000), 60_000), false, "not a's to release");
        await store.leases.release('reconciler', 'b');
        assert.equal(await store.leases.acquire('reconciler', 'a', later(64_000), 60_000), true);
      });

      it('gives a free lease to exactly one of several concurrent owners', async () => {
        const results = await Promise.all(
          ['a', 'b', 'c', 'd'].map((owner) => store.leases.acquire('reminders', owner, now, 60_000)),
        );
        assert.equal(results.filter(Boolean).length, 1);
      });
    });

    describe('state (named records)', () => {
      it('puts, replaces, reads, lists by prefix and deletes', async () => {
        const at = new Date(AT);
        assert.equal(await store.state.get('customer:a'), undefined);
        await store.state.put('customer:a', { companyName: 'A', domains: ['a.com'] }, at);
        await store.state.put('customer:b', { companyName: 'B' }, at);
        await store.state.put('customer:a', { companyName: 'A2', domains: [] }, at);
        await store.state.put('customers.other', { x: 1 }, at);
        await store.state.put('msal:token-cache', { serialized: '{"$x.y":1}' }, at);
        assert.deepEqual(await store.state.get('customer:a'), { companyName: 'A2', domains: [] });
        assert.deepEqual(
          (await store.state.keys('customer:')).sort(),
          ['customer:a', 'customer:b'],
          'the prefix is literal text, not a pattern',
        );
        assert.deepEqual(await store.state.get('msal:token-cache'), { serialized: '{"$x.y":1}' });
        await store.state.delete('customer:a');
        await store.state.delete('customer:none');
        assert.deepEqual((await store.state.keys('customer:')).sort(), ['customer:b']);
      });
    });

    describe('health', () => {
      it('answers ping while open', async () => {
        await store.ping();
      });
    });
  });
}
