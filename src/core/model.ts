/**
 * The relationship request (docs/behaviour.md#requests-and-their-states): one invitation flow for one customer. Times are ISO-8601 UTC strings
 * (`Date#toISOString()`), which sort as text in every store.
 */

export const STATUSES = ['draft', 'sent', 'accepted', 'cancelled', 'expired', 'removed'] as const;
export type Status = (typeof STATUSES)[number];

export const ADMIN_ACCESS_STATES = ['not-requested', 'pending', 'granted', 'revoked', 'expired'] as const;
export type AdminAccess = (typeof ADMIN_ACCESS_STATES)[number];

export type Platform = 'teams' | 'slack';

/** The links a request's draft carries: the reseller relationship link, and the GDAP approval link. */
export type LinkKind = 'reseller' | 'gdap';

/** Who did something: a person on a platform, or the bot itself (webhooks, reconciler, jobs). */
export type Actor =
  | { readonly kind: 'user'; readonly platform: Platform; readonly id: string; readonly name: string }
  | { readonly kind: 'system'; readonly name: string };

/** The bot itself, acting on its own (a follow-up, a safety net). */
export const SYSTEM_ACTOR: Actor = { kind: 'system', name: 'Partner Relationship Bot' };

export interface Requester {
  readonly platform: Platform;
  readonly id: string;
  readonly name: string;
  /** Teams: the Entra object id, when known */
  readonly aadObjectId?: string | undefined;
}

/** Where the request's card was posted, so it can be updated in place. */
export interface CardLocation {
  readonly platform: Platform;
  readonly conversationId: string;
  readonly messageId: string;
}

/** Which partner security group gets which of the relationship's roles once the customer approves. */
export interface AccessAssignmentSetting {
  /** object id of a security group in the partner's tenant */
  readonly groupId: string;
  /** role template ids, a subset of the relationship's */
  readonly roles: readonly string[];
}

/**
 * One group's access assignment on the request's GDAP relationship (docs/behaviour.md#admin-access): `pending` until
 * Microsoft activates it, `failed` when creating it was refused (the reason is kept; the card offers a retry).
 */
export interface AccessAssignmentState extends AccessAssignmentSetting {
  readonly status: 'pending' | 'active' | 'failed' | 'deleted';
  readonly assignmentId?: string | undefined;
  readonly problem?: string | undefined;
}

export interface Draft {
  readonly subject: string;
  readonly body: string;
}

export type TimelineEvent =
  | { readonly type: 'created' }
  | { readonly type: 'status'; readonly from: Status; readonly to: Status }
  | {
      readonly type: 'adminAccess';
      readonly from: AdminAccess;
      readonly to: AdminAccess;
      /** the GDAP relationship this change is about (a request asked again has had more than one) */
      readonly relationshipId?: string | undefined;
    }
  | { readonly type: 'draft-saved' }
  | { readonly type: 'customer-linked'; readonly tenantId: string }
  /** staff gave the customer's tenant id or `*.onmicrosoft.com` domain */
  | { readonly type: 'tenant-given'; readonly tenant: string };

export type TimelineEntry = TimelineEvent & {
  readonly at: string;
  readonly actor: Actor;
  readonly note?: string | undefined;
};

export interface RelationshipRequest {
  /** short, human-typable id, e.g. `RR-7K2Q9` */
  readonly id: string;
  /** the workspace the request belongs to: `teams:<tenant id>` or `slack:<team id>` */
  readonly scope: string;
  readonly customerName: string;
  /** normalised customer name for look-ups and matching (see `requests/matching.ts`) */
  readonly customerKey: string;
  readonly contactEmail: string;
  readonly domain: string;
  /** set once the customer's tenant is known (typed by staff, the GDAP approval, the acceptance) */
  readonly customerTenantId?: string | undefined;
  /** the customer's `*.onmicrosoft.com` domain, when staff gave it instead of a tenant id */
  readonly tenantDomain?: string | undefined;
  /** the customer as Partner Center describes them once they accepted: registered name and default domain */
  readonly customerRecord?: { readonly companyName: string; readonly defaultDomain: string } | undefined;
  readonly requester: Requester;
  /** the conversation where the request was made (reminders go there) */
  readonly conversationId: string;
  readonly card?: CardLocation | undefined;
  readonly draft: Draft;
  readonly resellerLink: string;
  readonly gdapLink?: string | undefined;
  /**
   * The request version at which each link became what it is now (absent: since creation). A draft edited from an
   * older version is checked against the links its editor saw; links set later are added to it.
   */
  readonly linkVersions?: Readonly<Partial<Record<LinkKind, number>>> | undefined;
  readonly gdapRelationshipId?: string | undefined;
  readonly gdapRoles?: readonly string[] | undefined;
  /** when the approved GDAP relationship ends (Graph `endDateTime`), as last read */
  readonly gdapEndsAt?: string | undefined;
  /** the relationship extends itself at its end (auto-extend, set by the partner or the customer), as last read */
  readonly gdapAutoExtends?: boolean | undefined;
  /** the access assignments made once the customer approved: what makes the admin rights usable */
  readonly accessAssignments?: readonly AccessAssignmentState[] | undefined;
  /** why asking for admin access failed at creation, until a retry succeeds */
  readonly adminAccessProblem?: string | undefined;
  /** reminders already sent, e.g. `reminder`, `expiring-30`: each threshold is announced once */
  readonly notices?: readonly string[] | undefined;
  /** the platform message that created this request; replays of that message find this request */
  readonly originKey?: string | undefined;
  readonly status: Status;
  readonly adminAccess: AdminAccess;
  readonly timeline: readonly TimelineEntry[];
  readonly createdAt: string;
  readonly updatedAt: string;
  /** optimistic-concurrency version, +1 on every stored change */
  readonly version: number;
}

export const OPEN_STATUSES: readonly Status[] = ['draft', 'sent'];

export function isOpen(request: Pick<RelationshipRequest, 'status'>): boolean {
  return OPEN_STATUSES.includes(request.status);
}

export function scopeOf(platform: Platform, tenant: string): string {
  return `${platform}:${tenant}`;
}
