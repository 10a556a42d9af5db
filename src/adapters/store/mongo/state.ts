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

  /** An anchored prefix regex on `_id`, projected to `_id`: answered from the `_id` index alone (a covered query). */
  async keys(prefix: string): Promise<string[]> {
    const docs = await this.connection.run((db) =>
      db
        .collection<StateDoc>('state')
        .find({ _id: { $regex: `^${escapeRegExp(prefix)}` } }, { projection: { _id: 1 } })
        .toArray(),
    );
    return docs.map((d) => d._id);
  }
}
