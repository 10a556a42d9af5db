import type { DedupeRepository } from '../../../core/ports.js';
import { isDuplicate, type Collection } from './collections.js';

export interface DedupeDoc {
  _id: string;
  expiresAt: Date;
}

export const DEDUPE_INDEXES = [{ fieldName: 'expiresAt' }] as const;

export class EmbeddedDedupe implements DedupeRepository {
  constructor(private readonly db: Collection<DedupeDoc>) {}

  async firstSeen(key: string, expiresAt: Date, now: Date): Promise<boolean> {
    try {
      await this.db.write(() => this.db.insertAsync({ _id: key, expiresAt }));
      return true;
    } catch (err) {
      if (!isDuplicate(err)) throw err;
    }
    // Seen before: it counts as new again only once the old record has expired (purge may not have run yet).
    const { numAffected } = await this.db.write(() =>
      this.db.updateAsync({ _id: key, expiresAt: { $lte: now } }, { $set: { expiresAt } }, {}),
    );
    return numAffected === 1;
  }

  async seen(key: string, now: Date): Promise<boolean> {
    return (await this.db.countAsync({ _id: key, expiresAt: { $gt: now } })) > 0;
  }
}
