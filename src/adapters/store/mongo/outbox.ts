import { MongoBulkWriteError, type Filter, type WriteError } from 'mongodb';
import type { NewJob } from '../../../core/outbox/types.js';
import type { OutboxRepository, StoredJob } from '../../../core/ports.js';
import { fromOutboxDoc, toOutboxDoc, type OutboxDoc } from '../documents.js';
import type { MongoConnection } from './connection.js';
import { DUPLICATE_KEY } from './errors.js';

function onlyDuplicates(err: MongoBulkWriteError): boolean {
  const { writeErrors } = err;
  const errors: readonly WriteError[] = writeErrors instanceof Array ? writeErrors : [writeErrors];
  return errors.length > 0 && errors.every((e) => e.code === DUPLICATE_KEY);
}

export class MongoOutbox implements OutboxRepository {
  constructor(private readonly connection: MongoConnection) {}

  /** MongoDB's insert is one round trip and durable: the same as `enqueue`. */
  async accept(jobs: readonly NewJob[], now: Date): Promise<void> {
    await this.enqueue(jobs, now);
  }

  async enqueue(items: readonly NewJob[], now: Date): Promise<number> {
    if (items.length === 0) return 0;
    const docs = items.map((item) => toOutboxDoc(item, now));
    return this.connection.run(async (db) => {
      try {
        return (await db.collection<OutboxDoc>('outbox').insertMany(docs, { ordered: false })).insertedCount;
      } catch (err) {
        // Unordered: every other item was written; duplicates (already enqueued) are expected and fine.
        if (err instanceof MongoBulkWriteError && onlyDuplicates(err)) return err.insertedCount;
        throw err;
      }
    });
  }

  async claimDue(now: Date, owner: string, lockMs: number, limit: number): Promise<StoredJob[]> {
    const due: Filter<OutboxDoc> = {
      state: 'pending',
      dueAt: { $lte: now },
      $or: [{ lockedUntil: { $exists: false } }, { lockedUntil: { $lte: now } }],
    };
    const claimed: StoredJob[] = [];
    while (claimed.length < limit) {
      // Each claim is one atomic findOneAndUpdate, so two workers never hold the same item.
      const doc = await this.connection.run((db) =>
        db
          .collection<OutboxDoc>('outbox')
          .findOneAndUpdate(
            due,
            { $set: { lockedBy: owner, lockedUntil: new Date(now.getTime() + lockMs) }, $inc: { attempts: 1 } },
            { sort: { dueAt: 1, _id: 1 }, returnDocument: 'after' },
          ),
      );
      if (!doc) break;
      claimed.push(fromOutboxDoc(doc));
    }
    return claimed;
  }

  complete(key: string, owner: string, at: Date): Promise<boolean> {
    return this.finish(key, owner, { state: 'delivered', finishedAt: at });
  }

  reschedule(key: string, owner: string, dueAt: Date, error: string): Promise<boolean> {
    return this.finish(key, owner, { dueAt, lastError: error }, { released: 1 });
  }

  kill(key: string, owner: string, error: string, at: Date): Promise<boolean> {
    return this.finish(key, owner, { state: 'dead', lastError: error, finishedAt: at });
  }

  async get(key: string): Promise<StoredJob | undefined> {
    const doc = await this.connection.run((db) => db.collection<OutboxDoc>('outbox').findOne({ _id: key }));
    return doc ? fromOutboxDoc(doc) : undefined;
  }

  private async finish(
    key: string,
    owner: string,
    set: Partial<OutboxDoc>,
    inc: Partial<Record<'released', number>> = {},
  ): Promise<boolean> {
    const result = await this.connection.run((db) =>
      db
        .collection<OutboxDoc>('outbox')
        .updateOne(
          { _id: key, state: 'pending', lockedBy: owner },
          { $set: set, $inc: inc, $unset: { lockedBy: '', lockedUntil: '' } },
        ),
    );
    return result.modifiedCount === 1;
  }
}
