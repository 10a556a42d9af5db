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
    await this.db.updateAsync(
      { _id: key },
      { _id: key, valueJson: JSON.stringify(value), updatedAt: at },
      { upsert: true },
    );
  }

  async delete(key: string): Promise<void> {
    await this.db.removeAsync({ _id: key }, {});
  }

  async list(prefix: string): Promise<{ key: string; value: Readonly<Record<string, unknown>> }[]> {
    const docs = await this.db.findAsync({ _id: { $regex: new RegExp(`^${escapeRegExp(prefix)}`) } }).sort({ _id: 1 });
    return docs.map((d) => ({ key: d._id, value: JSON.parse(d.valueJson) as Record<string, unknown> }));
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
