import type { Platform } from '../../../core/model.js';
import type { Subscription, SubscriptionRepository } from '../../../core/ports.js';
import { compact, fromSubscriptionDoc, subscriptionId, type SubscriptionDoc } from '../documents.js';
import { findOne, isDuplicate, type Collection } from './collections.js';

export const SUBSCRIPTION_INDEXES = [{ fieldName: 'active' }] as const;

export class EmbeddedSubscriptions implements SubscriptionRepository {
  constructor(private readonly db: Collection<SubscriptionDoc>) {}

  async subscribe(
    subscription: Omit<Subscription, 'active' | 'disabledReason' | 'updatedAt'>,
  ): Promise<{ created: boolean; subscription: Subscription }> {
    const _id = subscriptionId(subscription.platform, subscription.channelId);
    const existing = await findOne(this.db, { _id });
    if (existing?.active) return { created: false, subscription: fromSubscriptionDoc(existing) };
    if (existing) {
      const { affectedDocuments } = await this.db.write(() =>
        this.db.updateAsync(
          { _id },
          {
            $set: compact({
              active: true,
              channelName: subscription.channelName,
              scope: subscription.scope,
              updatedAt: subscription.createdAt,
            }),
            $unset: { disabledReason: true },
          },
          { returnUpdatedDocs: true },
        ),
      );
      if (affectedDocuments) return { created: true, subscription: fromSubscriptionDoc(affectedDocuments) };
    }
    const doc: SubscriptionDoc = compact({ _id, ...subscription, active: true, updatedAt: subscription.createdAt });
    try {
      await this.db.write(() => this.db.insertAsync(doc));
      return { created: true, subscription: fromSubscriptionDoc(doc) };
    } catch (err) {
      if (!isDuplicate(err)) throw err;
      // a concurrent subscribe of the same channel won
      const winner = await findOne(this.db, { _id });
      if (!winner) throw err;
      return { created: false, subscription: fromSubscriptionDoc(winner) };
    }
  }

  async unsubscribe(platform: Platform, channelId: string, at: string): Promise<boolean> {
    const { numAffected } = await this.db.write(() =>
      this.db.updateAsync(
        { _id: subscriptionId(platform, channelId), active: true },
        { $set: { active: false, updatedAt: at } },
        {},
      ),
    );
    return numAffected === 1;
  }

  async disable(platform: Platform, channelId: string, reason: string, at: string): Promise<void> {
    await this.db.write(() =>
      this.db.updateAsync(
        { _id: subscriptionId(platform, channelId) },
        { $set: { active: false, disabledReason: reason, updatedAt: at } },
        {},
      ),
    );
  }

  async get(platform: Platform, channelId: string): Promise<Subscription | undefined> {
    const doc = await findOne(this.db, { _id: subscriptionId(platform, channelId) });
    return doc ? fromSubscriptionDoc(doc) : undefined;
  }

  async listActive(platform?: Platform): Promise<Subscription[]> {
    const query = platform ? { active: true, platform } : { active: true };
    const docs = await this.db.findAsync(query).sort({ createdAt: 1, _id: 1 });
    return docs.map(fromSubscriptionDoc);
  }
}
