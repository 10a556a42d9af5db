import type { Db } from 'mongodb';
import type { Platform } from '../../../core/model.js';
import type { Subscription, SubscriptionRepository } from '../../../core/ports.js';
import { compact, fromSubscriptionDoc, subscriptionId, type SubscriptionDoc } from '../documents.js';
import type { MongoConnection } from './connection.js';
import { isDuplicateKey } from './errors.js';

export class MongoSubscriptions implements SubscriptionRepository {
  constructor(private readonly connection: MongoConnection) {}

  async subscribe(
    subscription: Omit<Subscription, 'active' | 'disabledReason' | 'updatedAt'>,
  ): Promise<{ created: boolean; subscription: Subscription }> {
    const _id = subscriptionId(subscription.platform, subscription.channelId);
    // One atomic upsert; the document as it was before tells whether this call turned it on.
    const upsert = (db: Db) =>
      db.collection<SubscriptionDoc>('subscriptions').findOneAndUpdate(
        { _id },
        {
          $set: compact({
            platform: subscription.platform,
            scope: subscription.scope,
            channelId: subscription.channelId,
            channelName: subscription.channelName,
            active: true,
            updatedAt: subscription.createdAt,
          }),
          $unset: { disabledReason: '' },
          $setOnInsert: { createdAt: subscription.createdAt, createdBy: subscription.createdBy },
        },
        { upsert: true, returnDocument: 'before' },
      );
    const created = await this.connection.run(async (db) => {
      try {
        return !(await upsert(db))?.active;
      } catch (err) {
        // Two upserts of a new _id can race to insert; the loser gets a duplicate key, and the row now exists.
        if (!isDuplicateKey(err)) throw err;
        return !(await upsert(db))?.active;
      }
    });
    const current = await this.get(subscription.platform, subscription.channelId);
    if (!current) throw new Error(`subscription ${_id} vanished right after it was written`);
    return { created, subscription: current };
  }

  async unsubscribe(platform: Platform, channelId: string, at: string): Promise<boolean> {
    const result = await this.connection.run((db) =>
      db
        .collection<SubscriptionDoc>('subscriptions')
        .updateOne(
          { _id: subscriptionId(platform, channelId), active: true },
          { $set: { active: false, updatedAt: at } },
        ),
    );
    return result.modifiedCount === 1;
  }

  async disable(platform: Platform, channelId: string, reason: string, at: string): Promise<void> {
    await this.connection.run((db) =>
      db
        .collection<SubscriptionDoc>('subscriptions')
        .updateOne(
          { _id: subscriptionId(platform, channelId) },
          { $set: { active: false, disabledReason: reason, updatedAt: at } },
        ),
    );
  }

  async get(platform: Platform, channelId: string): Promise<Subscription | undefined> {
    const doc = await this.connection.run((db) =>
      db.collection<SubscriptionDoc>('subscriptions').findOne({ _id: subscriptionId(platform, channelId) }),
    );
    return doc ? fromSubscriptionDoc(doc) : undefined;
  }

  async listActive(platform?: Platform): Promise<Subscription[]> {
    const docs = await this.connection.run((db) =>
      db
        .collection<SubscriptionDoc>('subscriptions')
        .find(platform ? { active: true, platform } : { active: true })
        .sort({ createdAt: 1, _id: 1 })
        .toArray(),
    );
    return docs.map(fromSubscriptionDoc);
  }
}
