import { ConfigError } from '../../../config.js';
import { mongoSecrets } from '../../../config/store.js';
import { MongoClient } from 'mongodb';
import type { Store } from '../../../core/ports.js';
import { clientOptions, MongoConnection } from './connection.js';
import { MongoConversations } from './conversations.js';
import { MongoDedupe } from './dedupe.js';
import { MongoLeases } from './leases.js';
import { MongoOutbox } from './outbox.js';
import { MongoRequests } from './requests.js';
import { MongoState } from './state.js';
import { MongoSubscriptions } from './subscriptions.js';

export interface MongoStoreOptions {
  readonly uri: string;
  readonly database: string;
  /** test hook: e.g. a short server selection timeout */
  readonly clientOverrides?: ConstructorParameters<typeof MongoClient>[1];
}

/**
 * The production store on the official driver. Opening never throws for an unreachable server: the first use (or
 * `/readyz`) connects, and keeps trying on later uses, so the bot can start before its database and report why it
 * is not ready.
 */
export function openMongoStore(options: MongoStoreOptions): Store {
  const client = clientFor(options);
  const connection = new MongoConnection(client, options.database);
  return {
    kind: 'mongodb',
    description: `MongoDB (${describeHosts(options.uri)}, database ${options.database})`,
    requests: new MongoRequests(connection),
    subscriptions: new MongoSubscriptions(connection),
    conversations: new MongoConversations(connection),
    outbox: new MongoOutbox(connection),
    dedupe: new MongoDedupe(connection),
    leases: new MongoLeases(connection),
    state: new MongoState(connection),
    async ping() {
      await connection.run((db) => db.command({ ping: 1 }));
    },
    async purge(now, finishedBefore) {
      return connection.run(async (db) => {
        const expired = await db.collection('dedupe').deleteMany({ expiresAt: { $lte: now } });
        const finished = await db
          .collection('outbox')
          .deleteMany({ state: { $in: ['delivered', 'dead'] }, finishedAt: { $lte: finishedBefore } });
        return expired.deletedCount + finished.deletedCount;
      });
    },
    close: () => connection.close(),
  };
}

/** `mongodb://user:pw@a:27017,b/db?x` → `a:27017,b` — for logs, without credentials. */
export function describeHosts(uri: string): string {
  const afterScheme = uri.replace(/^mongodb(\+srv)?:\/\//, '');
  const hosts = afterScheme.slice(afterScheme.lastIndexOf('@', afterScheme.search(/[/?]|$/)) + 1).split(/[/?]/)[0];
  return hosts ?? 'unknown host';
}

/** The driver reads the connection string when the client is made: what it cannot read is a configuration problem. */
function clientFor(options: MongoStoreOptions): MongoClient {
  try {
    return new MongoClient(options.uri, clientOptions(options.uri, options.clientOverrides));
  } catch (err) {
    let said = (err as Error).message;
    for (const secret of mongoSecrets(options.uri)) said = said.split(secret).join('***');
    throw new ConfigError([
      `MONGODB_URI: the MongoDB driver cannot read it (${said}) — check the host and port, and that special ` +
        'characters in the user name and password are percent-encoded.',
    ]);
  }
}
