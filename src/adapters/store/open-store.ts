import type { Config } from '../../config.js';
import type { Logger, Store } from '../../core/ports.js';
import { openEmbeddedStore } from './embedded/embedded-store.js';
import { openMongoStore } from './mongo/mongo-store.js';

/** MongoDB when MONGODB_URI is set, otherwise the embedded store under DATA_DIR. */
export async function openStore(config: Pick<Config, 'store'>, logger: Logger): Promise<Store> {
  return config.store.kind === 'mongodb'
    ? openMongoStore({ uri: config.store.uri, database: config.store.database })
    : openEmbeddedStore(config.store.dataDir, { logger });
}
