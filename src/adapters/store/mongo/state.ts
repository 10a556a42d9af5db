import type { KeyValueRepository } from '../../../core/ports.js';
import type { StateDoc } from '../documents.js';
import { escapeRegExp } from '../embedded/state.js';
import type { MongoConnection } from './connection.js';

export class MongoState implements KeyValueRepository {
  constructor(private readonly connection: MongoConnection) {}

  async get(key: string): Promise<Readonly<Record<string, unknown>> | undefined> {
    const doc = await this.connection.run((db) => db.collection<StateDoc>('state').findOne({ _id: key }));
    return doc ? (JSON.parse(doc.valueJson) as Record<string, unknown>) : undefined;
  }

  async put(key: string, value: Readonly<Record<string, unknown>>, at: Date): Promise<void> {
    await this.connection.run((db) =>
      db
        .collection<StateDoc>('state')
        .replaceOne({ _id: key }, { valueJson: JSON.stringify(value), updatedAt: at }, { upsert: true }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.connection.run((db) => db.collection<StateDoc>('state').deleteOne({ _id: key }));
  }

  /** An anchored prefix regex on `_id` is answered from the `_id` index. */
  async list(prefix: string): Promise<{ key: string; value: Readonly<Record<string, unknown>> }[]> {
    const docs = await this.connection.run((db) =>
      db
        .collection<StateDoc>('state')
        .find({ _id: { $regex: `^${escapeRegExp(prefix)}` } })
        .sort({ _id: 1 })
        .toArray(),
    );
    return docs.map((d) => ({ key: d._id, value: JSON.parse(d.valueJson) as Record<string, unknown> }));
  }
}
