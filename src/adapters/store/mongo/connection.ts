import type { Db, MongoClient, MongoClientOptions } from 'mongodb';
import { StorageUnavailableError } from '../../../core/errors.js';
import { mapMongoError } from './errors.js';
import { ensureIndexes } from './indexes.js';

/** Timeouts and pool size unless the connection string sets them (the driver lets options override the URI). */
const DEFAULTS = {
  serverSelectionTimeoutMS: 5_000,
  connectTimeoutMS: 5_000,
  socketTimeoutMS: 30_000,
  maxPoolSize: 20,
} as const;

export function clientOptions(uri: string, overrides: Partial<MongoClientOptions> = {}): MongoClientOptions {
  const query = uri.includes('?') ? uri.slice(uri.indexOf('?') + 1) : '';
  const inUri = new Set([...new URLSearchParams(query).keys()].map((k) => k.toLowerCase()));
  const options: MongoClientOptions = { appName: 'partner-relationship-bot', ignoreUndefined: true };
  for (const [key, value] of Object.entries(DEFAULTS)) {
    if (!inUri.has(key.toLowerCase())) Object.assign(options, { [key]: value });
  }
  return { ...options, ...overrides };
}

/**
 * One MongoClient, connected on first use and again after a failure: after a failed `connect()` the driver's
 * topology stays closed (operations fail with "Topology is closed") instead of retrying, so each use re-attempts the
 * connection until it succeeds. Indexes are created once per successful connection.
 */
export class MongoConnection {
  private ready: Promise<Db> | undefined;
  private closed = false;

  constructor(
    readonly client: MongoClient,
    private readonly database: string,
  ) {}

  db(): Promise<Db> {
    if (this.closed) return Promise.reject(new StorageUnavailableError('The MongoDB store is closed.'));
    this.ready ??= this.connect().catch((err: unknown) => {
      this.ready = undefined;
      throw mapMongoError(err);
    });
    return this.ready;
  }

  /** Run an operation, translating driver errors into core errors. */
  async run<T>(operation: (db: Db) => Promise<T>, what?: string): Promise<T> {
    const db = await this.db();
    try {
      return await operation(db);
    } catch (err) {
      throw mapMongoError(err, what);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client.close();
  }

  private async connect(): Promise<Db> {
    await this.client.connect();
    const db = this.client.db(this.database);
    await ensureIndexes(db);
    return db;
  }
}
