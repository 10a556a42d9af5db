import type { Platform } from '../../../core/model.js';
import type { ConversationRecord, ConversationRepository } from '../../../core/ports.js';
import { fromConversationDoc, toConversationDoc, type ConversationDoc } from '../documents.js';
import type { MongoConnection } from './connection.js';

export class MongoConversations implements ConversationRepository {
  constructor(private readonly connection: MongoConnection) {}

  async save(record: ConversationRecord): Promise<void> {
    const doc = toConversationDoc(record);
    await this.connection.run((db) =>
      db.collection<ConversationDoc>('conversations').replaceOne({ _id: doc._id }, doc, { upsert: true }),
    );
  }

  async get(key: string): Promise<ConversationRecord | undefined> {
    const doc = await this.connection.run((db) =>
      db.collection<ConversationDoc>('conversations').findOne({ _id: key }),
    );
    return doc ? fromConversationDoc(doc) : undefined;
  }

  async remove(key: string): Promise<boolean> {
    const result = await this.connection.run((db) =>
      db.collection<ConversationDoc>('conversations').deleteOne({ _id: key }),
    );
    return result.deletedCount === 1;
  }

  async list(platform: Platform): Promise<ConversationRecord[]> {
    const docs = await this.connection.run((db) =>
      db.collection<ConversationDoc>('conversations').find({ platform }).sort({ _id: 1 }).toArray(),
    );
    return docs.map(fromConversationDoc);
  }
}
