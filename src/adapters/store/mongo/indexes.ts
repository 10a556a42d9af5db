import type { Db, IndexDescription } from 'mongodb';

/**
 * Indexes created at start-up (createIndexes is idempotent). Every collection is keyed by `_id`, which is unique by
 * definition: the request id, `platform:channel` for subscriptions, the outbox item key, the dedupe key, the lease
 * name.
 */
export const INDEXES: Readonly<Record<string, readonly IndexDescription[]>> = {
  requests: [
    { key: { scope: 1, createdAt: -1 }, name: 'scope_createdAt' },
    { key: { status: 1, createdAt: -1 }, name: 'status_createdAt' },
    { key: { scope: 1, customerKey: 1 }, name: 'scope_customerKey' },
    { key: { adminAccess: 1, createdAt: -1 }, name: 'adminAccess_createdAt' },
    {
      key: { originKey: 1 },
      name: 'originKey_unique',
      unique: true,
      partialFilterExpression: { originKey: { $type: 'string' } },
    },
    {
      key: { gdapRelationshipId: 1 },
      name: 'gdapRelationshipId_unique',
      unique: true,
      partialFilterExpression: { gdapRelationshipId: { $type: 'string' } },
    },
    {
      key: { customerTenantId: 1 },
      name: 'customerTenantId',
      partialFilterExpression: { customerTenantId: { $type: 'string' } },
    },
  ],
  subscriptions: [{ key: { active: 1, platform: 1 }, name: 'active_platform' }],
  conversations: [{ key: { platform: 1 }, name: 'platform' }],
  outbox: [
    { key: { state: 1, dueAt: 1 }, name: 'state_dueAt' },
    { key: { finishedAt: 1 }, name: 'finishedAt', partialFilterExpression: { finishedAt: { $type: 'date' } } },
  ],
  // MongoDB's TTL monitor deletes expired records about once a minute; firstSeen also checks expiry itself.
  dedupe: [{ key: { expiresAt: 1 }, name: 'expiresAt_ttl', expireAfterSeconds: 0 }],
  leases: [],
  state: [],
};

export async function ensureIndexes(db: Db): Promise<void> {
  for (const [collection, indexes] of Object.entries(INDEXES)) {
    if (indexes.length > 0) await db.collection(collection).createIndexes([...indexes]);
  }
}
