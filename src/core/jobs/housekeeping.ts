import type { Logger, Store } from '../ports.js';

/** Finished outbox items are kept this long for operators, then deleted. */
export const KEEP_FINISHED_MS = 7 * 24 * 60 * 60 * 1000;

/** Delete expired dedupe records and old finished outbox items. */
export async function housekeeping(deps: { store: Store; logger: Logger }, now: Date): Promise<void> {
  const removed = await deps.store.purge(now, new Date(now.getTime() - KEEP_FINISHED_MS));
  deps.logger.debug({ removed }, 'housekeeping done');
}
