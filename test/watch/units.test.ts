/** The small pure pieces of watching Partner Center: event mapping, error shapes, Retry-After, backoff, names. */
import { strict as assert } from 'node:assert';
import { describeError, parseBody, retryAfterSeconds } from '../../src/adapters/partner-center/http.js';
import { eventFromWebhook } from '../../src/adapters/partner-center/webhook-route.js';
import { backoff } from '../../src/core/outbox/retry.js';
import { gdapDisplayName } from '../../src/core/requests/admin-access.js';
import { eventKey } from '../../src/core/watch/events.js';
import { adminChangeFor } from '../../src/core/watch/reconcile.js';

const REL = '5b8c6a3e-0000-4000-8000-000000000001-7a1d2c4b-0000-4000-8000-000000000002';

describe('watching Partner Center: small pieces', () => {
  it('maps access-assignment webhooks to one key per change; an update carries its time', () => {
    const uri = `https://partner.microsoft.com/granularAdminRelationships/${REL}/accessAssignments/a1b2`;
    const created = eventFromWebhook({ EventName: 'granular-admin-access-assignment-created', ResourceUri: uri });
    assert.deepEqual(created, { kind: 'access-changed', relationshipId: REL, mark: 'created/a1b2' });
    const updated = eventFromWebhook({
      EventName: 'Granular-Admin-Access-Assignment-Updated',
      ResourceUri: uri,
      ResourceChangeUtcDate: '2026-11-25T10:00:00Z',
    });
    assert.deepEqual(updated, {
      kind: 'access-changed',
      relationshipId: REL,
      mark: 'updated/a1b2@2026-11-25T10:00:00Z',
    });
    assert.equal(eventKey(created as never), `access.changed:${REL}:created/a1b2`);
    assert.equal(eventKey({ kind: 'access-ready', relationshipId: REL }), `access.ready:${REL}`);
    assert.deepEqual(
      eventFromWebhook({
        EventName: 'granular-admin-access-assignment-deleted',
        ResourceUri: `https://partner.microsoft.com/granularAdminRelationships/${REL}`,
      }),
      { problem: 'ResourceUri does not name a GDAP access assignment.' },
    );
  });

  it('maps the docs/partner-center.md webhook events, ignores others, and says what is wrong with bad ones', () => {
    const gdap = (name: string) =>
      eventFromWebhook({
        EventName: name,
        ResourceUri: `https://partner.microsoft.com/granularAdminRelationships/${REL}`,
      });
    assert.deepEqual(gdap('granular-admin-relationship-approved'), {
      kind: 'admin-changed',
      relationshipId: REL,
      to: 'granted',
    });
    assert.deepEqual(gdap('granular-admin-relationship-activated'), {
      kind: 'admin-changed',
      relationshipId: REL,
      to: 'granted',
    });
    assert.deepEqual(gdap('granular-admin-relationship-terminated'), {
      kind: 'admin-changed',
      relationshipId: REL,
      to: 'revoked',
    });
    assert.deepEqual(gdap('Granular-Admin-Relationship-Expired'), {
      kind: 'admin-changed',
      relationshipId: REL,
      to: 'expired',
    });
    assert.equal(eventFromWebhook({ EventName: 'dap-admin-relationship-terminated', ResourceUri: null }), 'ignored');
    assert.equal(eventFromWebhook({ EventName: 'subscription-updated' }), 'ignored');
    assert.deepEqual(eventFromWebhook({}), { problem: 'EventName is missing.' });
    assert.ok('problem' in (eventFromWebhook({ EventName: 'granular-admin-relationship-approved' }) as object));
    assert.deepEqual(
      eventFromWebhook({
        EventName: 'reseller-relationship-accepted-by-customer',
        ResourceUri: 'https://api.partnercenter.microsoft.com/v1/customers/4B2A6E33-8791-4386-BD2B-0D55BAF25039',
      }),
      { kind: 'customer-accepted', tenantId: '4b2a6e33-8791-4386-bd2b-0d55baf25039' },
    );
  });

  it('names events by the change, not by who saw it', () => {
    assert.equal(eventKey({ kind: 'customer-accepted', tenantId: 'ABC' }), 'relationship.accepted:abc');
    assert.equal(eventKey({ kind: 'customer-removed', tenantId: 'abc', companyName: 'x' }), 'relationship.removed:abc');
    assert.equal(eventKey({ kind: 'admin-changed', relationshipId: 'r', to: 'revoked' }), 'admin.revoked:r');
    assert.equal(
      eventKey({ kind: 'request-notice', requestId: 'RR-1', notice: 'expiring-7' }),
      'request.expiring-7:RR-1',
    );
  });

  it('reads the three error shapes, a BOM, and Retry-After as seconds or a date', () => {
    assert.equal(
      describeError({ code: 600006, description: 'not allowed', source: 'PartnerFD' }),
      '600006: not allowed',
    );
    assert.equal(describeError({ error: { code: 'Conflict', message: 'exists' } }), 'Conflict: exists');
    assert.equal(describeError({ statusCode: 429, message: 'Rate limit is exceeded.' }), 'Rate limit is exceeded.');
    assert.equal(describeError(undefined), 'no details');
    assert.equal(describeError(''), 'no details');
    assert.deepEqual(parseBody('\uFEFF{"a":1}'), { a: 1 });
    assert.equal(parseBody(''), undefined);
    assert.equal(parseBody('<html>oops</html>'), '<html>oops</html>');
    assert.equal(retryAfterSeconds('57'), 57);
    assert.equal(retryAfterSeconds(null), undefined);
    assert.equal(retryAfterSeconds('soon'), undefined);
    const now = Date.parse('2026-11-25T10:00:00.000Z');
    assert.equal(retryAfterSeconds(new Date(now + 10_000).toUTCString(), now), 10);
    assert.equal(retryAfterSeconds(new Date(now - 10_000).toUTCString(), now), 0, 'a date in the past: no wait');
  });

  it('backs off exponentially with jitter, capped', () => {
    const options = { baseBackoffMs: 1000, maxBackoffMs: 10_000 };
    for (let i = 0; i < 50; i++) {
      const first = backoff(1, options);
      assert.ok(first >= 500 && first <= 1000);
      const third = backoff(3, options);
      assert.ok(third >= 2000 && third <= 4000);
      const late = backoff(20, options);
      assert.ok(late >= 5000 && late <= 10_000);
    }
  });

  it('reads Graph statuses as admin-access changes only where they are final', () => {
    assert.equal(adminChangeFor('active'), 'granted');
    assert.equal(adminChangeFor('expiring'), 'granted');
    assert.equal(adminChangeFor('terminated'), 'revoked');
    assert.equal(adminChangeFor('expired'), 'expired');
    assert.equal(adminChangeFor('approvalPending'), undefined);
    assert.equal(adminChangeFor('terminating'), undefined);
  });

  it('names GDAP relationships uniquely within 50 characters', () => {
    assert.equal(gdapDisplayName({ id: 'RR-7K2Q9', customerName: 'Contoso Ltd' }), 'Contoso Ltd RR-7K2Q9');
    const long = gdapDisplayName({ id: 'RR-7K2Q9', customerName: 'Ω'.repeat(60) });
    assert.equal(Array.from(long).length, 50);
    assert.ok(long.endsWith(' RR-7K2Q9'));
    assert.equal(gdapDisplayName({ id: 'RR-7K2Q9', customerName: '   ' }), 'RR-7K2Q9');
  });
});
