/**
 * How core records look as stored documents, shared by the MongoDB and embedded stores: the natural key is `_id`
 * (so the request id is unique by construction), `undefined` fields are left out rather than stored as `null`, and
 * free-form platform data is stored as JSON text (embedded field names may not contain `.` or start with `$`).
 */
import type { RelationshipRequest } from '../../core/model.js';
import type { NewJob } from '../../core/outbox/types.js';
import type { ConversationRecord, OutboxItem, StoredJob, Subscription } from '../../core/ports.js';
import type { MutableFields, RequestChange } from '../../core/requests/state-machine.js';

export type RequestDoc = Omit<RelationshipRequest, 'id'> & { _id: string };

export function toRequestDoc(request: RelationshipRequest): RequestDoc {
  const { id, ...rest } = request;
  return compact({ _id: id, ...rest });
}

export function fromRequestDoc(doc: RequestDoc): RelationshipRequest {
  const { _id, ...rest } = doc;
  return dropNulls({ id: _id, ...rest });
}

/** The update document for a change: `$set` what is set, `$unset` what is set to undefined, `$push` the timeline. */
export function requestUpdate(expectedVersion: number, change: RequestChange): Record<string, unknown> {
  const set: Record<string, unknown> = { updatedAt: change.at, version: expectedVersion + 1 };
  const unset: Record<string, true> = {};
  for (const [key, value] of Object.entries(change.set) as [keyof MutableFields, unknown][]) {
    if (value === undefined) unset[key] = true;
    else set[key] = value;
  }
  const update: Record<string, unknown> = { $set: set };
  if (Object.keys(unset).length > 0) update['$unset'] = unset;
  if (change.append.length > 0) update['$push'] = { timeline: { $each: change.append.map((e) => compact(e)) } };
  return update;
}

export type SubscriptionDoc = Subscription & { _id: string };

export function subscriptionId(platform: string, channelId: string): string {
  return `${platform}:${channelId}`;
}

export function fromSubscriptionDoc(doc: SubscriptionDoc): Subscription {
  const { _id, ...rest } = doc;
  return dropNulls(rest);
}

export type ConversationDoc = Omit<ConversationRecord, 'key' | 'reference'> & { _id: string; referenceJson: string };

export function toConversationDoc(record: ConversationRecord): ConversationDoc {
  const { key, reference, ...rest } = record;
  return { _id: key, referenceJson: JSON.stringify(reference), ...rest };
}

export function fromConversationDoc(doc: ConversationDoc): ConversationRecord {
  const { _id, referenceJson, ...rest } = doc;
  return { key: _id, reference: JSON.parse(referenceJson) as Record<string, unknown>, ...rest };
}

export type OutboxDoc = Omit<OutboxItem, 'key' | 'topic' | 'payload'> & {
  _id: string;
  topic: string;
  payloadJson: string;
};

export function toOutboxDoc(job: NewJob, now: Date): OutboxDoc {
  return {
    _id: job.key,
    topic: job.topic,
    payloadJson: JSON.stringify(job.payload),
    state: 'pending',
    attempts: 0,
    released: 0,
    dueAt: job.dueAt,
    createdAt: now,
  };
}

/**
 * The store's one trust boundary for jobs: a payload comes back as the topic's type because only `toOutboxDoc` wrote
 * it. A topic no handler knows (a newer version's job) is left for the runner to refuse.
 */
export function fromOutboxDoc(doc: OutboxDoc): StoredJob {
  const { _id, payloadJson, ...rest } = doc;
  // items written before `released` existed count as never released
  const released = (rest.released as number | undefined) ?? 0;
  return dropNulls({ ...rest, released, key: _id, payload: JSON.parse(payloadJson) as unknown }) as StoredJob;
}

export interface StateDoc {
  _id: string;
  valueJson: string;
  updatedAt: Date;
}

/** Drop `undefined` members (shallow) so they are not stored. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Treat stored `null` as absent (documents written by other tools may hold nulls). */
function dropNulls<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as T;
}
