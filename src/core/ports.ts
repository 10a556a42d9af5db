/**
 * What the core needs from the outside world. Adapters implement these; use cases receive them in `CoreDeps`.
 * Every store method either does what it says or throws a core error (`ConflictError`, `NotFoundError`,
 * `StorageUnavailableError`); none returns a half-done result.
 */
import type { RequestChange } from './requests/state-machine.js';
import type { Platform, RelationshipRequest, Status } from './model.js';
import type { NotificationModel } from './notifications/model.js';

export interface Clock {
  now(): Date;
}

export interface IdSource {
  /** a fresh random request id such as `RR-7K2Q9` (see `requests/ids.ts`) */
  requestId(): string;
}

/** The partner-scoped reseller relationship link (research/partner-center.md §2). */
export interface ResellerLinks {
  resellerLink(): Promise<string>;
}

/** The subset of pino the core uses. */
export interface Logger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface RequestQuery {
  /** `teams:<tenant>` / `slack:<team>`; omit for every workspace */
  readonly scope?: string | undefined;
  /** omit for every status */
  readonly statuses?: readonly Status[] | undefined;
}

export interface RequestRepository {
  /** Store a new request. `ConflictError` (reason `duplicate`) when the id or the `originKey` is taken. */
  insert(request: RelationshipRequest): Promise<void>;
  get(id: string): Promise<RelationshipRequest | undefined>;
  findByOriginKey(originKey: string): Promise<RelationshipRequest | undefined>;
  findByCustomerKey(scope: string, customerKey: string): Promise<RelationshipRequest[]>;
  findByGdapRelationshipId(relationshipId: string): Promise<RelationshipRequest | undefined>;
  /** newest first */
  list(query: RequestQuery & { readonly limit: number }): Promise<RelationshipRequest[]>;
  count(query: RequestQuery): Promise<number>;
  /**
   * Apply `change` if the stored version is still `expectedVersion`, atomically; returns the stored result.
   * `ConflictError` (reason `version`) when someone else changed it first; `NotFoundError` when it is gone.
   */
  update(id: string, expectedVersion: number, change: RequestChange): Promise<RelationshipRequest>;
}

export interface Subscription {
  readonly platform: Platform;
  readonly scope: string;
  /** Teams: the channel's conversation id (no `;messageid=`); Slack: the channel id */
  readonly channelId: string;
  readonly channelName?: string | undefined;
  readonly active: boolean;
  readonly disabledReason?: string | undefined;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface SubscriptionRepository {
  /** Create or re-activate; `created` is false when it was already active. */
  subscribe(
    subscription: Omit<Subscription, 'active' | 'disabledReason' | 'updatedAt'>,
  ): Promise<{ created: boolean; subscription: Subscription }>;
  /** Deactivate; false when there was no active subscription. */
  unsubscribe(platform: Platform, channelId: string, at: string): Promise<boolean>;
  /** Deactivate because the channel is gone (archived, bot removed); kept with the reason for operators. */
  disable(platform: Platform, channelId: string, reason: string, at: string): Promise<void>;
  get(platform: Platform, channelId: string): Promise<Subscription | undefined>;
  listActive(platform?: Platform): Promise<Subscription[]>;
}

/** A platform's opaque address of a conversation (Teams: a ConversationReference), kept for proactive posts. */
export interface ConversationRecord {
  readonly key: string;
  readonly platform: Platform;
  readonly scope: string;
  readonly conversationId: string;
  readonly reference: Readonly<Record<string, unknown>>;
  readonly updatedAt: string;
}

export interface ConversationRepository {
  save(record: ConversationRecord): Promise<void>;
  get(key: string): Promise<ConversationRecord | undefined>;
  remove(key: string): Promise<boolean>;
  list(platform: Platform): Promise<ConversationRecord[]>;
}

export type OutboxState = 'pending' | 'delivered' | 'dead';

export interface OutboxItem {
  /** unique per (event, destination): enqueueing the same key twice stores it once */
  readonly key: string;
  readonly topic: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly dueAt: Date;
  readonly lockedBy?: string | undefined;
  readonly lockedUntil?: Date | undefined;
  readonly lastError?: string | undefined;
  readonly createdAt: Date;
  readonly finishedAt?: Date | undefined;
}

export interface OutboxRepository {
  /** Add items; keys already present are left alone. Returns how many were new. */
  enqueue(items: readonly Pick<OutboxItem, 'key' | 'topic' | 'payload' | 'dueAt'>[], now: Date): Promise<number>;
  /**
   * Claim up to `limit` pending items due at `now` (or whose claim by a crashed owner has lapsed) for `lockMs`.
   * Each item is claimed by one owner at a time.
   */
  claimDue(now: Date, owner: string, lockMs: number, limit: number): Promise<OutboxItem[]>;
  /** Mark delivered; false when `owner` no longer holds the claim. */
  complete(key: string, owner: string, at: Date): Promise<boolean>;
  /** Release the claim and try again at `dueAt`. */
  reschedule(key: string, owner: string, dueAt: Date, error: string): Promise<boolean>;
  /** Give up on the item (kept for operators). */
  kill(key: string, owner: string, error: string, at: Date): Promise<boolean>;
  get(key: string): Promise<OutboxItem | undefined>;
}

export interface DedupeRepository {
  /**
   * Record `key` (a webhook event id, a Slack `event_id`, a Teams activity id) until `expiresAt`.
   * True the first time; false while an unexpired record exists.
   */
  firstSeen(key: string, expiresAt: Date, now: Date): Promise<boolean>;
}

export interface LeaseRepository {
  /** Take or renew the named lease for `owner` until `now + ttlMs`; false while another owner holds it. */
  acquire(name: string, owner: string, now: Date, ttlMs: number): Promise<boolean>;
  release(name: string, owner: string): Promise<void>;
}

export interface Store {
  readonly kind: 'mongodb' | 'embedded';
  /** for the start-up line, e.g. "embedded (./data)"; never holds credentials */
  readonly description: string;
  readonly requests: RequestRepository;
  readonly subscriptions: SubscriptionRepository;
  readonly conversations: ConversationRepository;
  readonly outbox: OutboxRepository;
  readonly dedupe: DedupeRepository;
  readonly leases: LeaseRepository;
  /** Resolves when the store can serve requests; `StorageUnavailableError` with the reason otherwise. */
  ping(): Promise<void>;
  /** Delete expired dedupe records and finished outbox items older than `before`. Returns how many. */
  purge(now: Date, finishedBefore: Date): Promise<number>;
  close(): Promise<void>;
}

/**
 * A chat platform's way of reaching channels outside a conversation turn (Teams: proactive messages through the
 * Bot Connector; Slack: the Web API). Failures are core errors: `DestinationGoneError` (disable the subscription),
 * `RateLimitedError` (wait `retryAfterSeconds`), `UpstreamError` (retry later). Implementations do not retry beyond
 * what their SDK already does.
 */
export interface ChannelNotifier {
  readonly platform: Platform;
  /** Post a notification as a new message in a subscribed channel. */
  notify(subscription: Subscription, notification: NotificationModel): Promise<void>;
  /** Show the request's current state on its card, in place; nothing to do when the card is on another platform. */
  refreshCard(request: RelationshipRequest): Promise<void>;
}
