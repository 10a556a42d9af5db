/**
 * What the core needs from the outside world. Adapters implement these; use cases receive them in `CoreDeps`.
 * Every store method either does what it says or throws a core error (`ConflictError`, `NotFoundError`,
 * `StorageUnavailableError`); none returns a half-done result.
 */
import type { RequestChange } from './requests/state-machine.js';
import type {
  AccessAssignmentSetting,
  AdminAccess,
  CardLocation,
  Platform,
  RelationshipRequest,
  Status,
} from './model.js';
import type { NotificationModel } from './notifications/model.js';
import type { ReplyPoster } from './card-first.js';
import type { NewJob } from './outbox/types.js';
import type { JobTopics, Topic } from './outbox/topics.js';

export interface Clock {
  now(): Date;
}

export interface IdSource {
  /** a fresh random request id such as `RR-7K2Q9` (see `requests/ids.ts`) */
  requestId(): string;
}

/** The partner-scoped reseller relationship link (docs/partner-center.md#the-reseller-link). */
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
  /** omit for every admin-access state */
  readonly adminAccess?: readonly AdminAccess[] | undefined;
}

export interface RequestRepository {
  /** Store a new request. `ConflictError` (reason `duplicate`) when the id or the `originKey` is taken. */
  insert(request: RelationshipRequest): Promise<void>;
  get(id: string): Promise<RelationshipRequest | undefined>;
  findByOriginKey(originKey: string): Promise<RelationshipRequest | undefined>;
  findByCustomerKey(scope: string, customerKey: string): Promise<RelationshipRequest[]>;
  findByGdapRelationshipId(relationshipId: string): Promise<RelationshipRequest | undefined>;
  /** requests linked to a customer tenant (any workspace, any status), newest first */
  findByCustomerTenantId(tenantId: string): Promise<RelationshipRequest[]>;
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

/** A job as the outbox stores it (see `outbox/types.ts` for the vocabulary). */
export interface OutboxItem<T extends Topic = Topic> {
  /** unique: enqueueing the same key twice stores it once */
  readonly key: string;
  readonly topic: T;
  readonly payload: JobTopics[T];
  readonly state: OutboxState;
  /** claims so far */
  readonly attempts: number;
  /** claims that ended in `reschedule`; `attempts - 1 > released` on a fresh claim = the last one never finished */
  readonly released: number;
  readonly dueAt: Date;
  readonly lockedBy?: string | undefined;
  readonly lockedUntil?: Date | undefined;
  readonly lastError?: string | undefined;
  readonly createdAt: Date;
  readonly finishedAt?: Date | undefined;
}

/** A stored job of any topic, its payload typed by its topic. */
export type StoredJob = { [T in Topic]: OutboxItem<T> }[Topic];

export interface OutboxRepository {
  /** Add jobs; keys already present are left alone. Returns how many were new. */
  enqueue(jobs: readonly NewJob[], now: Date): Promise<number>;
  /**
   * Record jobs durably as fast as the store can, for work a platform is about to be told was received; they are due
   * by the next `claimDue`. A key already present is left alone (later, not reported).
   */
  accept(jobs: readonly NewJob[], now: Date): Promise<void>;
  /**
   * Claim up to `limit` pending jobs due at `now` (or whose claim by a crashed owner has lapsed) for `lockMs`.
   * Each job is claimed by one owner at a time.
   */
  claimDue(now: Date, owner: string, lockMs: number, limit: number): Promise<StoredJob[]>;
  /** Mark done; false when `owner` no longer holds the claim. */
  complete(key: string, owner: string, at: Date): Promise<boolean>;
  /** Release the claim and try again at `dueAt`. */
  reschedule(key: string, owner: string, dueAt: Date, error: string): Promise<boolean>;
  /** Give up on the job (kept for operators). */
  kill(key: string, owner: string, error: string, at: Date): Promise<boolean>;
  get(key: string): Promise<StoredJob | undefined>;
}

export interface DedupeRepository {
  /**
   * Record `key` (a webhook event id, a Slack `event_id`, a Teams activity id) until `expiresAt`.
   * True the first time; false while an unexpired record exists.
   */
  firstSeen(key: string, expiresAt: Date, now: Date): Promise<boolean>;
  /** Whether an unexpired record of `key` exists, without recording anything. */
  seen(key: string, now: Date): Promise<boolean>;
}

/** Small named records (the reconciler's view of customers, the Partner Center token cache). Values are JSON. */
export interface KeyValueRepository {
  get(key: string): Promise<Readonly<Record<string, unknown>> | undefined>;
  put(key: string, value: Readonly<Record<string, unknown>>, at: Date): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Every key that starts with `prefix`, in no particular order — keys only, so the reconciler can read the 100,000
   * customers it knows without reading (and parsing) each one's record.
   */
  keys(prefix: string): Promise<string[]>;
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
  readonly state: KeyValueRepository;
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
  /** channels that receive every notification whether or not they subscribed (Slack: SLACK_NOTIFY_CHANNEL) */
  readonly standing: readonly Subscription[];
  /**
   * Post a notification as a new message in a subscribed channel; `key` identifies this delivery. Returns the
   * message's id when the platform gives one.
   */
  notify(subscription: Subscription, notification: NotificationModel, key: string): Promise<string | undefined>;
  /** Show a notification's new state on the message it was posted as (an acceptance a person decided). */
  updateNotification(location: CardLocation, notification: NotificationModel): Promise<void>;
  /**
   * After a crash between posting and recording it: was delivery `key` already posted to this channel (since
   * `since`)? `undefined` when the platform cannot tell (the outbox then posts again: at least once).
   */
  wasDelivered(subscription: Subscription, key: string, since: Date): Promise<boolean | undefined>;
  /** Show the request's current state on its card, in place; nothing to do when the card is on another platform. */
  refreshCard(request: RelationshipRequest): Promise<void>;
  /** How to answer, from a job, a person whose command or click was acknowledged earlier. */
  poster(address: ReplyAddress): ReplyPoster;
}

/**
 * Where the answer to an acknowledged command or click goes when a job sends it: the conversation, the person (for
 * private answers) and what the platform gave to reach it.
 */
export interface ReplyAddress {
  readonly platform: Platform;
  /** Teams: the conversation id; Slack: the channel id */
  readonly conversationId: string;
  readonly userId: string;
  /** Slack: the command's or click's response_url (valid 30 minutes) */
  readonly responseUrl?: string | undefined;
  /** Slack: answer in this thread */
  readonly threadTs?: string | undefined;
}

/** A customer of the partner as Partner Center lists it (docs/partner-center.md#customers). */
export interface PartnerCustomer {
  readonly tenantId: string;
  readonly companyName: string;
  /** `companyProfile.domain` and custom domains */
  readonly domains: readonly string[];
  /** `reseller`, `none`, … */
  readonly relationshipToPartner: string;
}

export type GdapStatus =
  | 'created'
  | 'approvalPending'
  | 'approved'
  | 'activating'
  | 'active'
  | 'expiring'
  | 'expired'
  | 'terminationRequested'
  | 'terminating'
  | 'terminated'
  | 'unknownFutureValue';

/** A GDAP relationship as Graph describes it (docs/partner-center.md#gdap-relationships). */
export interface GdapRelationship {
  readonly id: string;
  readonly displayName: string;
  readonly status: GdapStatus;
  readonly customerTenantId?: string | undefined;
  readonly endDateTime?: string | undefined;
  /** `P180D` when it extends itself at its end; `PT0S`/`P0D` (or absent) when it does not */
  readonly autoExtendDuration?: string | undefined;
}

export interface NewGdapRelationship {
  /** unique across the partner, at most 50 characters */
  readonly displayName: string;
  readonly roles: readonly string[];
  /** ISO-8601, e.g. P730D */
  readonly duration: string;
  /** ask for `autoExtendDuration: P180D` */
  readonly autoExtend?: boolean | undefined;
  /** the customer's tenant, when Microsoft has confirmed it: only that tenant can then approve the relationship */
  readonly customerTenantId?: string | undefined;
  /**
   * No earlier attempt can have created it (its request was created just now), so there is nothing to look up first.
   * A duplicate display name is still caught: creating it again is refused and the existing one is looked up then.
   */
  readonly firstAttempt?: boolean;
}

/** What ending a GDAP relationship did: `gone` when it had ended already (or never existed). */
export type EndedAdminAccess = 'deleted' | 'terminated' | 'not-possible' | 'gone';

/** An access assignment on a GDAP relationship as Graph describes it (docs/partner-center.md#access-assignments). */
export interface AccessAssignment {
  readonly id: string;
  /** the partner security group (`accessContainer.accessContainerId`) */
  readonly groupId: string;
  readonly roles: readonly string[];
  /** `pending`, `active`, `deleting`, `deleted`, `error`, or a value Graph adds later */
  readonly status: string;
}

/**
 * Partner Center and Microsoft Graph as the core needs them. Failures are core errors: `RateLimitedError`
 * (throttled beyond what the client waits out), `UpstreamError` (retryable or not), `NotFoundError`.
 */
export interface PartnerDirectory {
  /** every customer, page by page */
  customers(): AsyncIterable<readonly PartnerCustomer[]>;
  /** one customer; undefined when Partner Center does not know it (yet: it answers 404 for a while after) */
  customer(tenantId: string): Promise<PartnerCustomer | undefined>;
  /** every GDAP relationship of the partner, page by page */
  gdapRelationships(): AsyncIterable<readonly GdapRelationship[]>;
  gdapRelationship(id: string): Promise<GdapRelationship | undefined>;
  /**
   * Create a GDAP relationship and lock it for the customer's approval; returns it with the approval link. Creating
   * the same display name again returns the existing relationship instead of a second one.
   */
  requestAdminAccess(input: NewGdapRelationship): Promise<{ relationship: GdapRelationship; approvalLink: string }>;
  /**
   * End a relationship the way Graph allows for its status: delete it while `created`, terminate it while active.
   * Graph offers nothing for one waiting for the customer's approval (`approvalPending`): `not-possible`.
   */
  endAdminAccess(relationshipId: string): Promise<EndedAdminAccess>;
  /** the access assignments of an approved relationship */
  accessAssignments(relationshipId: string): Promise<readonly AccessAssignment[]>;
  /**
   * Give a partner security group some of an approved relationship's roles. A refusal that a retry cannot change
   * (roles not in the relationship, the relationship not active) is a non-retryable `UpstreamError` with Graph's words.
   */
  assignAccess(relationshipId: string, setting: AccessAssignmentSetting): Promise<AccessAssignment>;
}
