import type { LeaseRepository } from '../../../core/ports.js';
import type { MongoConnection } from './connection.js';
import { isDuplicateKey } from './errors.js';

interface LeaseDoc {
  _id: string;
  owner: string;
  expiresAt: Date;
}

export class MongoLeases implements LeaseRepository {
  constructor(private readonly connection: MongoConnection) {}

  /**
   * One upsert: it matches when the lease is ours or has lapsed; when another owner holds it, the upsert tries to
   * insert a second document with the same `_id` and the duplicate-key error (11000) means "not yours".
   */
  async acquire(name: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
    return this.connection.run(async (db) => {
      try {
        await db
          .collection<LeaseDoc>('leases')
          .updateOne(
            { _id: name, $or: [{ owner }, { expiresAt: { $lte: now } }] },
            { $set: { owner, expiresAt: new Date(now.getTime() + ttlMs) } },
            { upsert: true },
          );
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false; // held by another owner
        throw err;
      }
    });
  }

  async release(name: string, owner: string): Promise<void> {
    await this.connection.run((db) => db.collection<LeaseDoc>('leases').deleteOne({ _id: name, owner }));
  }
}
