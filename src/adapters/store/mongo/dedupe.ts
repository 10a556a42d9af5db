import type { DedupeRepository } from '../../../core/ports.js';
import type { MongoConnection } from './connection.js';
import { isDuplicateKey } from './errors.js';

interface DedupeDoc {
  _id: string;
  expiresAt: Date;
}

export class MongoDedupe implements DedupeRepository {
  constructor(private readonly connection: MongoConnection) {}

  async firstSeen(key: string, expiresAt: Date, now: Date): Promise<boolean> {
    const inserted = await this.connection.run(async (db) => {
      try {
        await db.collection<DedupeDoc>('dedupe').insertOne({ _id: key, expiresAt });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    });
    if (inserted) return true;
    // Seen before. The TTL monitor runs about once a minute, so an expired record may still be here: it counts as
    // new again, and the conditional update lets exactly one concurrent caller have it.
    const result = await this.connection.run((db) =>
      db.collection<DedupeDoc>('dedupe').updateOne({ _id: key, expiresAt: { $lte: now } }, { $set: { expiresAt } }),
    );
    return result.modifiedCount === 1;
  }

  async seen(key: string, now: Date): Promise<boolean> {
    const found = await this.connection.run((db) =>
      db.collection<DedupeDoc>('dedupe').countDocuments({ _id: key, expiresAt: { $gt: now } }, { limit: 1 }),
    );
    return found > 0;
  }
}
