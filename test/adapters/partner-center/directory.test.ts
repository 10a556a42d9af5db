/**
 * The Partner Center / Graph client against the standalone emulator over real HTTP: paging past 500 customers with
 * `MS-ContinuationToken` (the next link already holds /v1), GDAP paging past 300 with `@odata.nextLink`, a leading
 * BOM, 429 + Retry-After waited out (same MS-RequestId on the retry), a storm that outlasts the retries, and GDAP
 * creation that never makes a second relationship.
 */
import { strict as assert } from 'node:assert';
import { PartnerCenterDirectory } from '../../../src/adapters/partner-center/directory.js';
import { emulatorTokens } from '../../../src/adapters/partner-center/tokens.js';
import { RateLimitedError, UpstreamError } from '../../../src/core/errors.js';
import type { EmulatorServer } from '../../../src/emulator/server.js';
import { startTestEmulator } from '../../support/emulator.js';
import { captureLogger } from '../../support/logs.js';

async function all<T>(pages: AsyncIterable<readonly T[]>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let count = 0;
  for await (const page of pages) {
    count++;
    items.push(...page);
  }
  return { items, pages: count };
}

describe('Partner Center and Graph client (against the emulator)', function () {
  let emu: EmulatorServer;
  let directory: PartnerCenterDirectory;
  const waits: number[] = [];

  beforeEach(async () => {
    const { logger } = captureLogger();
    emu = await startTestEmulator();
    waits.length = 0;
    directory = new PartnerCenterDirectory({
      partnerCenterUrl: `${emu.url}/emulator/partner-center`,
      graphUrl: `${emu.url}/emulator/graph`,
      tokens: emulatorTokens,
      logger,
      // record the waits instead of sleeping them (the clock is ours to fake; the HTTP is real)
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
  });
  afterEach(async () => {
    await emu.close();
  });

  it('pages through 1,203 customers 500 at a time, following the continuation token', async () => {
    for (let i = 0; i < 1203; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      emu.emulator.state.customers.set(id, {
        tenantId: id,
        companyName: `Customer ${i}`,
        defaultDomain: `c${i}.onmicrosoft.com`,
        customDomains: [],
        relationshipToPartner: 'reseller',
        visibleFrom: 0,
      });
    }
    const { items, pages } = await all(directory.customers());
    assert.equal(pages, 3);
    assert.equal(items.length, 1203);
    assert.equal(new Set(items.map((c) => c.tenantId)).size, 1203, 'no page read twice');
    assert.deepEqual(items[1202]?.domains, ['c1202.onmicrosoft.com']);
  });

  it('tolerates a byte-order mark before the JSON', async () => {
    emu.emulator.state.bom = true;
    const link = await directory.resellerLink();
    assert.match(link, /^https:\/\/admin\.microsoft\.com\/Adminportal\/Home\?invType=ResellerRelationship&partnerId=/);
  });

  it('pages GDAP relationships 300 at a time with @odata.nextLink', async () => {
    for (let i = 0; i < 650; i++) {
      const id = emu.emulator.state.newRelationshipId();
      emu.emulator.state.relationships.set(id, {
        id,
        displayName: `r${i}`,
        duration: 'P730D',
        roles: ['x'],
        status: 'active',
        createdDateTime: '',
        lastModifiedDateTime: '',
      });
    }
    const { items, pages } = await all(directory.gdapRelationships());
    assert.equal(pages, 3);
    assert.equal(items.length, 650);
  });

  it('waits out 429 Retry-After and retries with the same MS-RequestId', async () => {
    emu.emulator.state.throttle = { remaining: 2, retryAfterSeconds: 7 };
    const seen: string[] = [];
    emu.server.prependListener('request', (req) => {
      seen.push(String(req.headers['ms-requestid']));
    });
    const { items } = await all(directory.customers());
    assert.deepEqual(items, []);
    assert.deepEqual(waits, [7000, 7000], 'waited what Retry-After said');
    assert.equal(new Set(seen).size, 1, 'one logical call, one request id across its retries');
    assert.equal(emu.emulator.state.throttled, 2);
  });

  it('gives up on a storm longer than its retries with RateLimitedError (the caller reschedules)', async () => {
    emu.emulator.state.throttle = { remaining: 50, retryAfterSeconds: 3 };
    await assert.rejects(
      all(directory.customers()),
      (err: unknown) => err instanceof RateLimitedError && err.retryAfterSeconds === 3,
    );
    assert.equal(emu.emulator.state.throttled, 4, 'the first call and three retries');
  });

  it('maps 401 and 404 as documented', async () => {
    assert.equal(await directory.customer('11111111-2222-4333-8444-555555555555'), undefined);
    const anonymous = new PartnerCenterDirectory({
      partnerCenterUrl: `${emu.url}/emulator/partner-center`,
      graphUrl: `${emu.url}/emulator/graph`,
      tokens: { ...emulatorTokens, partnerCenterUser: () => emulatorTokens.partnerCenterApp() },
      logger: captureLogger().logger,
    });
    await assert.rejects(
      anonymous.resellerLink(),
      (err: unknown) => err instanceof UpstreamError && !err.retryable && /800001/.test(err.message),
    );
  });

  it('creates and locks a GDAP relationship once, even when asked twice', async () => {
    const input = {
      displayName: 'Contoso Ltd RR-7K2Q9',
      roles: ['88d8e3e3-8f55-4a1e-953a-9b9898b8876b'],
      duration: 'P730D',
    };
    const first = await directory.requestAdminAccess(input);
    assert.equal(first.relationship.status, 'approvalPending');
    assert.equal(
      first.approvalLink,
      `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${first.relationship.id}`,
    );
    const second = await directory.requestAdminAccess(input);
    assert.equal(second.relationship.id, first.relationship.id);
    assert.equal(emu.emulator.state.relationships.size, 1);
    const [lock] = [...emu.emulator.state.relationshipRequests.values()];
    assert.equal(lock?.action, 'lockForApproval');
    await emu.emulator.webhooks.settled();
    assert.equal(lock.status, 'succeeded', 'the lock request ran');
    assert.equal(emu.emulator.state.relationships.get(first.relationship.id)?.status, 'approvalPending');
  });

  it('for a request created just now, creates and locks without looking first; a clash still finds the existing one', async () => {
    const input = {
      displayName: 'Fabrikam RR-3M8XZ',
      roles: ['88d8e3e3-8f55-4a1e-953a-9b9898b8876b'],
      duration: 'P730D',
      firstAttempt: true,
    };
    const before = emu.emulator.state.calls;
    const first = await directory.requestAdminAccess(input);
    assert.equal(emu.emulator.state.calls - before, 2, 'create and lock, no lookup');
    assert.equal(first.relationship.status, 'approvalPending');
    // the same name again (an id that clashed with an earlier attempt): refused as a duplicate, then found
    const again = await directory.requestAdminAccess(input);
    assert.equal(again.relationship.id, first.relationship.id);
    assert.equal(emu.emulator.state.relationships.size, 1);
  });
});
