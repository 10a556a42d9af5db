import type { NewJob } from '../../../core/outbox/types.js';
import type { OutboxRepository, StoredJob } from '../../../core/ports.js';
import { fromOutboxDoc, toOutboxDoc, type OutboxDoc } from '../documents.js';
import { findOne, isDuplicate, type Collection } from './collections.js';
import type { IntakeJournal } from './intake-journal.js';

export const OUTBOX_INDEXES = [{ fieldName: 'state' }, { fieldName: 'dueAt' }] as const;

/**
 * The outbox on nedb. One process holds DATA_DIR, so it keeps the pending jobs' due times and claims in memory as
 * well: choosing what to claim reads that small map instead of matching and sorting every pending document in nedb on
 * each claim (the claim itself is still a conditional update, so two claims at once never take the same job).
 */
export class EmbeddedOutbox implements OutboxRepository {
  /** pending jobs: key → due time and claim expiry (ms) */
  private readonly pending = new Map<string, { dueAt: number; lockedUntil: number }>();

  private constructor(
    private readonly db: Collection<OutboxDoc>,
    private readonly journal: IntakeJournal,
  ) {}

  static async open(db: Collection<OutboxDoc>, journal: IntakeJournal): Promise<EmbeddedOutbox> {
    const outbox = new EmbeddedOutbox(db, journal);
    for (const doc of await db.findAsync({ state: 'pending' }, { _id: 1, dueAt: 1, lockedUntil: 1 })) {
      outbox.track(doc);
    }
    return outbox;
  }

  private track(doc: Pick<OutboxDoc, '_id' | 'dueAt' | 'lockedUntil'>): void {
    this.pending.set(doc._id, { dueAt: doc.dueAt.getTime(), lockedUntil: doc.lockedUntil?.getTime() ?? 0 });
  }

  async enqueue(items: readonly NewJob[], now: Date): Promise<number> {
    return this.insert(items.map((item) => toOutboxDoc(item, now)));
  }

  /** Into the intake journal (see intake-journal.ts): on disk at once, in the outbox by the next claim. */
  accept(jobs: readonly NewJob[], now: Date): Promise<void> {
    return this.journal.append(jobs.map((job) => toOutboxDoc(job, now)));
  }

  /** Move what the intake journal holds into the outbox: in one write, leaving out keys already there. */
  async absorbJournal(): Promise<void> {
    const taken = this.journal.take();
    if (taken.length === 0) return;
    const unique = new Map(taken.map((doc) => [doc._id, doc]));
    const present = await this.db.findAsync({ _id: { $in: [...unique.keys()] } }, { _id: 1 });
    for (const doc of present) unique.delete(doc._id);
    if (unique.size > 0) {
      await this.db.write(() => this.db.insertAsync([...unique.values()]));
      for (const doc of unique.values()) this.track(doc);
    }
    this.journal.absorbed();
  }

  private async insert(docs: readonly OutboxDoc[]): Promise<number> {
    let added = 0;
    for (const doc of docs) {
      try {
        await this.db.write(() => this.db.insertAsync(doc));
        this.track(doc);
        added++;
      } catch (err) {
        if (!isDuplicate(err)) throw err;
      }
    }
    return added;
  }

  async claimDue(now: Date, owner: string, lockMs: number, limit: number): Promise<StoredJob[]> {
    await this.absorbJournal();
    const due = {
      state: 'pending',
      dueAt: { $lte: now },
      $or: [{ lockedUntil: { $exists: false } }, { lockedUntil: { $lte: now } }],
    };
    const at = now.getTime();
    const candidates = [...this.pending]
      .filter(([, job]) => job.dueAt <= at && job.lockedUntil <= at)
      .sort(([ka, a], [kb, b]) => a.dueAt - b.dueAt || (ka < kb ? -1 : ka > kb ? 1 : 0))
      .slice(0, limit);
    const claimed: StoredJob[] = [];
    for (const [key] of candidates) {
      // Conditional on still being claimable: another claim may have taken it meanwhile.
      const { numAffected, affectedDocuments } = await this.db.write(() =>
        this.db.updateAsync(
          { _id: key, ...due },
          { $set: { lockedBy: owner, lockedUntil: new Date(at + lockMs) }, $inc: { attempts: 1 } },
          { returnUpdatedDocs: true },
        ),
      );
      if (numAffected === 1 && affectedDocuments) {
        this.track(affectedDocuments);
        claimed.push(fromOutboxDoc(affectedDocuments));
      }
    }
    return claimed;
  }

  async complete(key: string, owner: string, at: Date): Promise<boolean> {
    const done = await this.finish(key, owner, { $set: { state: 'delivered', finishedAt: at } });
    if (done) this.pending.delete(key);
    return done;
  }

  async reschedule(key: string, owner: string, dueAt: Date, error: string): Promise<boolean> {
    const released = await this.finish(key, owner, { $set: { dueAt, lastError: error }, $inc: { released: 1 } });
    if (released) this.track({ _id: key, dueAt });
    return released;
  }

  async kill(key: string, owner: string, error: string, at: Date): Promise<boolean> {
    const killed = await this.finish(key, owner, { $set: { state: 'dead', lastError: error, finishedAt: at } });
    if (killed) this.pending.delete(key);
    return killed;
  }

  async get(key: string): Promise<StoredJob | undefined> {
    await this.absorbJournal();
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
