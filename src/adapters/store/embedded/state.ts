import type { KeyValueRepository } from '../../../core/ports.js';
import type { StateDoc } from '../documents.js';
import { findOne, type Collection } from './collections.js';

export class EmbeddedState implements KeyValueRepository {
  constructor(private readonly db: Collection<StateDoc>) {}

  async get(key: string): Promise<Readonly<Record<string, unknown>> | undefined> {
    const doc = await findOne(this.db, { _id: key });
    return doc ? (JSON.parse(doc.valueJson) as Record<string, unknown>) : undefined;
  }

  async put(key: string, value: Readonly<Record<string, unknown>>, at: Date): Promise<void> {
    await this.db.write(() =>
      this.db.updateAsync(
        { _id: key },
        { _id: key, valueJson: JSON.stringify(value), updatedAt: at },
        { upsert: true },
      ),
    );
  }

  async delete(key: string): Promise<void> {
    await this.db.write(() => this.db.removeAsync({ _id: key }, {}));
  }

  /** Straight from nedb's in-memory documents (no query, no copies): writes awaited before are in them. */
  keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for (const doc of this.db.getAllData()) if (doc._id.startsWith(prefix)) keys.push(doc._id);
    return Promise.resolve(keys);
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
