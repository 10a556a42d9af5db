import type { Platform } from '../../../core/model.js';
import type { ConversationRecord, ConversationRepository } from '../../../core/ports.js';
import { fromConversationDoc, toConversationDoc, type ConversationDoc } from '../documents.js';
import { findOne, type Collection } from './collections.js';

export const CONVERSATION_INDEXES = [{ fieldName: 'platform' }] as const;

export class EmbeddedConversations implements ConversationRepository {
  constructor(private readonly db: Collection<ConversationDoc>) {}

  async save(record: ConversationRecord): Promise<void> {
    const doc = toConversationDoc(record);
    await this.db.write(() => this.db.updateAsync({ _id: doc._id }, doc, { upsert: true }));
  }

  async get(key: string): Promise<ConversationRecord | undefined> {
    const doc = await findOne(this.db, { _id: key });
    return doc ? fromConversationDoc(doc) : undefined;
  }

  async remove(key: string): Promise<boolean> {
    return (await this.db.write(() => this.db.removeAsync({ _id: key }, {}))) === 1;
  }

  async list(platform: Platform): Promise<ConversationRecord[]> {
    const docs = await this.db.findAsync({ platform }).sort({ _id: 1 });
    return docs.map(fromConversationDoc);
  }
}
