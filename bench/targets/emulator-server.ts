/** The Partner Center + Graph emulator alone, seeded with `customers` customers and `relationships` GDAP relationships. */
import { randomUUID } from 'node:crypto';
import { EMULATOR_PARTNER_TENANT_ID } from '../../src/config.js';
import { startEmulatorServer } from '../../src/emulator/server.js';
import { announce } from '../lib/child.js';
import { silentLogger } from '../lib/quiet.js';

const [customers = '0', relationships = '0'] = process.argv.slice(2);
const server = await startEmulatorServer({
  port: 0,
  host: '127.0.0.1',
  webhookUrl: undefined,
  partnerTenantId: EMULATOR_PARTNER_TENANT_ID,
  msppId: '0',
  logger: silentLogger,
});
const { state } = server.emulator;
const tenants: string[] = [];
for (let i = 0; i < Number(customers); i++) {
  const tenantId = randomUUID();
  tenants.push(tenantId);
  state.customers.set(tenantId, {
    tenantId,
    companyName: `Customer ${i} Ltd`,
    defaultDomain: `customer${i}.onmicrosoft.com`,
    customDomains: [],
    relationshipToPartner: 'reseller',
    visibleFrom: 0,
  });
}
const now = new Date().toISOString();
for (let i = 0; i < Number(relationships); i++) {
  const id = state.newRelationshipId();
  const tenantId = tenants[i % Math.max(1, tenants.length)] ?? randomUUID();
  state.relationships.set(id, {
    id,
    displayName: `Customer ${i} RR-${String(i).padStart(5, '0')}`,
    duration: 'P730D',
    roles: [],
    status: 'active',
    customer: { tenantId, displayName: `Customer ${i} Ltd` },
    createdDateTime: now,
    lastModifiedDateTime: now,
    activatedDateTime: now,
    endDateTime: new Date(Date.now() + 730 * 86_400_000).toISOString(),
  });
}
process.once('SIGTERM', () => {
  void server.close();
});
announce(server.url);
