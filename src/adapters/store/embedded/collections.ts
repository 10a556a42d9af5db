import nedb, { type Document } from '@seald-io/nedb';
import { join } from 'node:path';
import { ConflictError } from '../../../core/errors.js';
import { repairDatafile, type DatafileRepair } from './datafile.js';
import { writesTo, type DiskHealth } from './writes.js';

// The package is CommonJS (`module.exports = Datastore`) but typed as an ES module with a default export, so under
// NodeNext TypeScript expects `.default` while Node hands over the class itself. Accept either.
type DatastoreClass = typeof nedb.default;
const loaded: unknown = nedb;
const Datastore: DatastoreClass = (loaded as { default?: DatastoreClass }).default ?? (loaded as DatastoreClass);

/**
 * One nedb datafile per collection under DATA_DIR; each operation is atomic (nedb runs them one at a time). Writes go
 * through `write`, which undoes a write the disk refused (see writes.ts).
 */
export type Collection<T> = nedb.default<T> & {
  write<R>(operation: () => Promise<R>): Promise<R>;
};

export interface OpenOptions {
  readonly health: DiskHealth;
  /** what was left out of a datafile that could not be read in full (see datafile.ts) */
  readonly onRepair: (repair: DatafileRepair) => void;
  readonly now: () => Date;
}

export async function openCollection<T>(
  dataDir: string,
  name: string,
  indexes: readonly { fieldName: string | string[]; unique?: boolean; sparse?: boolean }[],
  options: OpenOptions,
): Promise<Collection<T>> {
  const filename = join(dataDir, `${name}.db`);
  const repair = await repairDatafile(filename, options.now());
  if (repair) options.onRepair(repair);
  // checked line by line above, so nedb may refuse anything it still cannot read instead of dropping it
  const db = new Datastore<T>({ filename, autoload: false, corruptAlertThreshold: 0 });
  await db.loadDatabaseAsync();
  for (const index of indexes) await db.ensureIndexAsync(index);
  return Object.assign(db, { write: writesTo(filename, () => db.loadDatabaseAsync(), options.health) });
}

/** nedb's typings say `findOneAsync` always finds a document; it resolves `null` when none matches. */
export async function findOne<T>(db: Collection<T>, query: Record<string, unknown>): Promise<Document<T> | null> {
  const doc: Document<T> | null = await db.findOneAsync<T>(query);
  return doc;
}

/** nedb reports a unique-index clash as an Error with `errorType: 'uniqueViolated'`. */
export function isDuplicate(err: unknown): boolean {
  return err instanceof Error && (err as Error & { errorType?: string }).errorType === 'uniqueViolated';
}

export function duplicate(what: string): ConflictError {
  return new ConflictError(`${what} already exists.`, 'duplicate');
}
