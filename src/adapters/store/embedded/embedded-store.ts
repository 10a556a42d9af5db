import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { StorageUnavailableError } from '../../../core/errors.js';
import type { Store } from '../../../core/ports.js';
import type { ConversationDoc, OutboxDoc, RequestDoc, StateDoc, SubscriptionDoc } from '../documents.js';
import { openCollection, type Collection } from './collections.js';
import { CONVERSATION_INDEXES, EmbeddedConversations } from './conversations.js';
import { DEDUPE_INDEXES, EmbeddedDedupe, type DedupeDoc } from './dedupe.js';
import { EmbeddedLeases, type LeaseDoc } from './leases.js';
import { lockDataDir } from './lock.js';
import { EmbeddedOutbox, OUTBOX_INDEXES } from './outbox.js';
import { EmbeddedRequests, REQUEST_INDEXES } from './requests.js';
import { EmbeddedState } from './state.js';
import { EmbeddedSubscriptions, SUBSCRIPTION_INDEXES } from './subscriptions.js';

/**
 * The store for local mode and single-instance deployments: @seald-io/nedb datafiles under DATA_DIR (append-only
 * JSON lines, compacted on purge and on close), the same contract as the MongoDB store.
 */
export async function openEmbeddedStore(dataDir: string): Promise<Store> {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (err) {
    throw new StorageUnavailableError(`Cannot create DATA_DIR ${dataDir}: ${(err as Error).message}`, { cause: err });
  }
  const unlock = await lockDataDir(dataDir);
  try {
    const requests = await openCollection<RequestDoc>(dataDir, 'requests', REQUEST_INDEXES);
    const subscriptions = await openCollection<SubscriptionDoc>(dataDir, 'subscriptions', SUBSCRIPTION_INDEXES);
    const conversations = await openCollection<ConversationDoc>(dataDir, 'conversations', CONVERSATION_INDEXES);
    const outbox = await openCollection<OutboxDoc>(dataDir, 'outbox', OUTBOX_INDEXES);
    const dedupe = await openCollection<DedupeDoc>(dataDir, 'dedupe', DEDUPE_INDEXES);
    const leases = await openCollection<LeaseDoc>(dataDir, 'leases', []);
    const state = await openCollection<StateDoc>(dataDir, 'state', []);
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
      outbox: new EmbeddedOutbox(outbox),
      dedupe: new EmbeddedDedupe(dedupe),
      leases: new EmbeddedLeases(leases),
      state: new EmbeddedState(state),
      async ping() {
        if (closed) throw new StorageUnavailableError('The embedded store is closed.');
        try {
          await access(dataDir, constants.W_OK);
        } catch (err) {
          throw new StorageUnavailableError(`DATA_DIR ${dataDir} is not writable: ${(err as Error).message}`, {
            cause: err,
          });
        }
      },
      async purge(now, finishedBefore) {
        const expired = await dedupe.removeAsync({ expiresAt: { $lte: now } }, { multi: true });
        const finished = await outbox.removeAsync(
          { state: { $in: ['delivered', 'dead'] }, finishedAt: { $lte: finishedBefore } },
          { multi: true },
        );
        for (const collection of all) await collection.compactDatafileAsync();
        return expired + finished;
      },
      async close() {
        if (closed) return;
        closed = true;
        for (const collection of all) await collection.compactDatafileAsync();
        await unlock();
      },
    };
  } catch (err) {
    await unlock();
    throw err;
  }
}
