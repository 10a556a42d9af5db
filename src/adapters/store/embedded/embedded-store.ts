import { constants } from 'node:fs';
import { access, mkdir, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageUnavailableError } from '../../../core/errors.js';
import type { Logger, Store } from '../../../core/ports.js';
import type { ConversationDoc, OutboxDoc, RequestDoc, StateDoc, SubscriptionDoc } from '../documents.js';
import { isDuplicate, openCollection, type Collection } from './collections.js';
import { IntakeJournal } from './intake-journal.js';
import { CONVERSATION_INDEXES, EmbeddedConversations } from './conversations.js';
import { DEDUPE_INDEXES, EmbeddedDedupe, type DedupeDoc } from './dedupe.js';
import { EmbeddedLeases, type LeaseDoc } from './leases.js';
import { describeRepair } from './datafile.js';
import { lockDataDir, type LockOptions } from './lock.js';
import { DiskHealth } from './writes.js';
import { EmbeddedOutbox, OUTBOX_INDEXES } from './outbox.js';
import { EmbeddedRequests, REQUEST_INDEXES } from './requests.js';
import { EmbeddedState } from './state.js';
import { EmbeddedSubscriptions, SUBSCRIPTION_INDEXES } from './subscriptions.js';

export interface EmbeddedStoreOptions {
  /** where a datafile repaired at start-up is reported (default: a line on stderr) */
  readonly logger?: Pick<Logger, 'error' | 'info'>;
  readonly lock?: LockOptions;
}

/**
 * The store for local mode and single-instance deployments: @seald-io/nedb datafiles under DATA_DIR (append-only
 * JSON lines, compacted on purge and on close), the same contract as the MongoDB store. One process at a time holds
 * DATA_DIR (lock.ts); datafiles are checked line by line before they are read (datafile.ts); a write the disk refuses
 * is undone (writes.ts).
 */
export async function openEmbeddedStore(dataDir: string, options: EmbeddedStoreOptions = {}): Promise<Store> {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (err) {
    throw new StorageUnavailableError(`Cannot create DATA_DIR ${dataDir}: ${(err as Error).message}`, { cause: err });
  }
  const health = new DiskHealth();
  const lock = await lockDataDir(dataDir, {
    ...options.lock,
    onLost: (why) => {
      health.block(why);
    },
  });
  const open = <T>(name: string, indexes: Parameters<typeof openCollection>[2]) =>
    openCollection<T>(dataDir, name, indexes, {
      health,
      now: () => new Date(),
      onRepair: (repair) => {
        const line = describeRepair(repair);
        if (!options.logger) process.stderr.write(`${line}\n`);
        else if (repair.keptAt) options.logger.error({ repair }, line);
        else options.logger.info({ repair }, line); // only a torn last line: a write that never finished
      },
    });
  try {
    const requests = await open<RequestDoc>('requests', REQUEST_INDEXES);
    const subscriptions = await open<SubscriptionDoc>('subscriptions', SUBSCRIPTION_INDEXES);
    const conversations = await open<ConversationDoc>('conversations', CONVERSATION_INDEXES);
    const outbox = await open<OutboxDoc>('outbox', OUTBOX_INDEXES);
    const dedupe = await open<DedupeDoc>('dedupe', DEDUPE_INDEXES);
    const leases = await open<LeaseDoc>('leases', []);
    const state = await open<StateDoc>('state', []);
    // Jobs accepted into the intake journal before a crash: into the outbox now (keys already there are left alone).
    const journalFile = join(dataDir, 'intake.log');
    const journal = new IntakeJournal(journalFile);
    for (const doc of await IntakeJournal.leftBehind(journalFile)) {
      await outbox
        .write(() => outbox.insertAsync(doc))
        .catch((err: unknown) => {
          if (!isDuplicate(err)) throw err;
        });
    }
    await truncate(journalFile, 0).catch(() => undefined);
    // One process holds DATA_DIR: every claim found now belongs to a process that is gone; its jobs are due again.
    await outbox.write(() =>
      outbox.updateAsync(
        { state: 'pending', lockedBy: { $exists: true } },
        { $unset: { lockedBy: true, lockedUntil: true } },
        { multi: true },
      ),
    );
    const outboxRepository = await EmbeddedOutbox.open(outbox, journal);
    const all: Collection<unknown>[] = [
      requests,
      subscriptions,
      conversations,
      outbox,
      dedupe,
      leases,
      state,
    ] as Collection<unknown>[];
    let closed = false;

    return {
      kind: 'embedded',
      description: `embedded (${dataDir})`,
      requests: new EmbeddedRequests(requests),
      subscriptions: new EmbeddedSubscriptions(subscriptions),
      conversations: new EmbeddedConversations(conversations),
      outbox: outboxRepository,
      dedupe: new EmbeddedDedupe(dedupe),
      leases: new EmbeddedLeases(leases),
      state: new EmbeddedState(state),
      async ping() {
        if (closed) throw new StorageUnavailableError('The embedded store is closed.');
        if (!(await lock.held()) && lock.lost) throw new StorageUnavailableError(lock.lost);
        await health.recheck();
        if (health.problem) throw new StorageUnavailableError(health.problem);
        try {
          await access(dataDir, constants.W_OK);
        } catch (err) {
          throw new StorageUnavailableError(`DATA_DIR ${dataDir} is not writable: ${(err as Error).message}`, {
            cause: err,
          });
        }
      },
      async purge(now, finishedBefore) {
        const expired = await dedupe.write(() => dedupe.removeAsync({ expiresAt: { $lte: now } }, { multi: true }));
        const finished = await outbox.write(() =>
          outbox.removeAsync(
            { state: { $in: ['delivered', 'dead'] }, finishedAt: { $lte: finishedBefore } },
            { multi: true },
          ),
        );
        for (const collection of all) await collection.write(() => collection.compactDatafileAsync());
        return expired + finished;
      },
      async close() {
        if (closed) return;
        closed = true;
        // a process that lost the lock must not rewrite files another process now owns; a compaction the disk
        // refuses leaves the append log as it is (complete, only longer)
        if (await lock.held()) {
          for (const collection of all) {
            await collection.write(() => collection.compactDatafileAsync()).catch(() => undefined);
          }
        }
        journal.close();
        await lock.release();
      },
    };
  } catch (err) {
    await lock.release();
    throw err;
  }
}
