import type { LeaseRepository } from '../../../core/ports.js';
import { isDuplicate, type Collection } from './collections.js';

export interface LeaseDoc {
  _id: string;
  owner: string;
  expiresAt: Date;
}

export class EmbeddedLeases implements LeaseRepository {
  constructor(private readonly db: Collection<LeaseDoc>) {}

  async acquire(name: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const { numAffected } = await this.db.write(() =>
      this.db.updateAsync(
        { _id: name, $or: [{ owner }, { expiresAt: { $lte: now } }] },
        { $set: { owner, expiresAt } },
        {},
      ),
    );
    if (numAffected === 1) return true;
    try {
      await this.db.write(() => this.db.insertAsync({ _id: name, owner, expiresAt }));
      return true;
    } catch (err) {
      if (isDuplicate(err)) return false; // held by someone else
      throw err;
    }
  }

  async release(name: string, owner: string): Promise<void> {
    await this.db.write(() => this.db.removeAsync({ _id: name, owner }, {}));
  }
}
