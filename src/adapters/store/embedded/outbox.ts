import type { NewJob } from '../../../core/outbox/types.js';
import type { OutboxRepository, StoredJob } from '../../../core/ports.js';
import { fromOutboxDoc, toOutboxDoc, type OutboxDoc } from '../documents.js';
import { findOne, isDuplicate, type Collection } from './collections.js';

export const OUTBOX_INDEXES = [{ fieldName: 'state' }, { fieldName: 'dueAt' }] as const;

export class EmbeddedOutbox implements OutboxRepository {
  constructor(private readonly db: Collection<OutboxDoc>) {}

  async enqueue(items: readonly NewJob[], now: Date): Promise<number> {
    let added = 0;
    for (const item of items) {
      try {
        await this.db.write(() => this.db.insertAsync(toOutboxDoc(item, now)));
        added++;
      } catch (err) {
        if (!isDuplicate(err)) throw err;
      }
    }
    return added;
  }

  async claimDue(now: Date, owner: string, lockMs: number, limit: number): Promise<StoredJob[]> {
    const due = {
      state: 'pending',
      dueAt: { $lte: now },
      $or: [{ lockedUntil: { $exists: false } }, { lockedUntil: { $lte: now } }],
    };
    const candidates = await this.db.findAsync(due).sort({ dueAt: 1, _id: 1 }).limit(limit);
    const claimed: StoredJob[] = [];
    for (const candidate of candidates) {
      // Conditional on still being claimable: another owner may have taken it since the find.
      const { numAffected, affectedDocuments } = await this.db.write(() =>
        this.db.updateAsync(
          { _id: candidate._id, ...due },
          { $set: { lockedBy: owner, lockedUntil: new Date(now.getTime() + lockMs) }, $inc: { attempts: 1 } },
          { returnUpdatedDocs: true },
        ),
      );
      if (numAffected === 1 && affectedDocuments) claimed.push(fromOutboxDoc(affectedDocuments));
    }
    return claimed;
  }

  async complete(key: string, owner: string, at: Date): Promise<boolean> {
    return this.finish(key, owner, { $set: { state: 'delivered', finishedAt: at } });
  }

  async reschedule(key: string, owner: string, dueAt: Date, error: string): Promise<boolean> {
    return this.finish(key, owner, { $set: { dueAt, lastError: error }, $inc: { released: 1 } });
  }

  async kill(key: string, owner: string, error: string, at: Date): Promise<boolean> {
    return this.finish(key, owner, { $set: { state: 'dead', lastError: error, finishedAt: at } });
  }

  async get(key: string): Promise<StoredJob | undefined> {
    const doc = await findOne(this.db, { _id: key });
    return doc ? fromOutboxDoc(doc) : undefined;
  }

  /** Only the current claim holder may finish an item; the claim is released. */
  private async finish(
    key: string,
    owner: string,
    update: { $set: Record<string, unknown>; $inc?: Record<string, number> },
  ): Promise<boolean> {
    const { numAffected } = await this.db.write(() =>
      this.db.updateAsync(
        { _id: key, state: 'pending', lockedBy: owner },
        { ...update, $unset: { lockedBy: true, lockedUntil: true } },
        {},
      ),
    );
    return numAffected === 1;
  }
}
