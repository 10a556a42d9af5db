/** Everything the emulator holds, in memory: tenants and customers, GDAP relationships and the knobs tests turn. */
import { BOT_WEBHOOK_EVENTS } from '../adapters/partner-center/webhook-events.js';
import { randomUUID } from 'node:crypto';

/**
 * A customer tenant as Microsoft knows it. The partner sees `companyName` (the registered name) and `defaultDomain`
 * (`*.onmicrosoft.com`); custom domains stay hidden, as they are from a partner without DAP.
 */
export interface EmulatedCustomer {
  readonly tenantId: string;
  companyName: string;
  readonly defaultDomain: string;
  readonly customDomains: readonly string[];
  /** `none`: a tenant the emulator knows (it approved a GDAP relationship) that is not, or no longer, a customer */
  relationshipToPartner: 'reseller' | 'none';
  /** ms since the epoch at which GET /v1/customers/{id} starts answering (Partner Center lags after an acceptance) */
  visibleFrom: number;
}

export type EmulatedStatus = 'created' | 'approvalPending' | 'active' | 'terminated' | 'expired';

export interface EmulatedRelationship {
  readonly id: string;
  readonly displayName: string;
  readonly duration: string;
  readonly roles: readonly string[];
  /** `P180D`: extends itself at its end; `PT0S`: does not (Graph's default) */
  autoExtendDuration?: string | undefined;
  status: EmulatedStatus;
  customer?: { tenantId: string; displayName: string } | undefined;
  readonly createdDateTime: string;
  lastModifiedDateTime: string;
  activatedDateTime?: string | undefined;
  endDateTime?: string | undefined;
}

/** A `requests` action on a relationship (lockForApproval runs asynchronously, as in Graph). */
export interface EmulatedRelationshipRequest {
  readonly id: string;
  readonly action: string;
  status: 'created' | 'running' | 'succeeded' | 'failed';
  readonly createdDateTime: string;
  lastModifiedDateTime: string;
}

/** An access assignment: `pending` at first, `active` a while later (or `error`), `deleted` with its relationship. */
export interface EmulatedAccessAssignment {
  readonly id: string;
  readonly relationshipId: string;
  readonly groupId: string;
  readonly roles: readonly string[];
  status: 'pending' | 'active' | 'deleted';
  readonly createdDateTime: string;
  lastModifiedDateTime: string;
}

export interface WebhookAttempt {
  readonly eventName: string;
  readonly at: string;
  readonly status: number | string;
}

/**
 * How inconvenient the emulator is (docs/partner-center.md#the-emulator). The defaults behave like the service: a
 * new customer is invisible by id for a while, locking for approval takes a moment, every webhook arrives twice, and
 * a GDAP approval's "activated" arrives before its "approved".
 */
export interface Realism {
  /** how long GET /v1/customers/{id} answers 404 after an acceptance */
  customerHiddenMs: number;
  /** how long a lockForApproval request takes before the relationship is `approvalPending` */
  lockDelayMs: number;
  /** how many times each webhook is delivered (1 = once) */
  webhookCopies: number;
  /** how long each webhook waits before its first delivery */
  webhookDelayMs: number;
  /** deliver the events of one change last first (e.g. activated before approved) */
  webhookOutOfOrder: boolean;
  /** how long a new access assignment stays `pending` before it is `active` */
  assignmentDelayMs: number;
}

export const SERVICE_LIKE: Realism = {
  customerHiddenMs: 3_000,
  lockDelayMs: 500,
  webhookCopies: 2,
  webhookDelayMs: 0,
  webhookOutOfOrder: true,
  assignmentDelayMs: 2_000,
};

export interface WebhookRegistration {
  webhookUrl: string | undefined;
  events: string[];
  subscriberId: string;
  lastModified: string;
}

export interface ValidationEvent {
  readonly correlationId: string;
  readonly callbackUrl: string;
  status: 'pending' | 'completed';
  readonly results: { responseCode: string; responseMessage: string; systemError: string; dateTimeUtc: string }[];
}

export class EmulatorState {
  /** every tenant the emulator knows, by tenant id (lowercase) */
  readonly customers = new Map<string, EmulatedCustomer>();
  readonly relationships = new Map<string, EmulatedRelationship>();
  readonly relationshipRequests = new Map<string, EmulatedRelationshipRequest>();
  readonly accessAssignments = new Map<string, EmulatedAccessAssignment>();
  /** the next `refuse` access-assignment creations answer 400, as for a group that does not exist */
  assignmentFaults = { refuse: 0 };
  /** the next `remaining` API calls answer 429 with `Retry-After: retryAfterSeconds` */
  throttle = { remaining: 0, retryAfterSeconds: 1 };
  webhooksEnabled = true;
  /**
   * The partner's webhook registration (docs/partner-center.md#registering): only its events are sent, to its URL
   * (`undefined`: the target the emulator was started with). Starts registered for every event the bot handles.
   */
  registration: WebhookRegistration | undefined = {
    webhookUrl: undefined,
    events: [...BOT_WEBHOOK_EVENTS],
    subscriberId: '00000000-0000-4000-8000-00000000e0b0',
    lastModified: new Date(0).toISOString(),
  };
  /** test events sent (`validationEvents`), by correlation id, with what the receiver answered */
  readonly validationEvents = new Map<string, ValidationEvent>();
  /** when test events were asked for, for the documented few-per-minute limit */
  readonly testEventTimes: number[] = [];
  /** start Partner Center bodies with a UTF-8 BOM, as some real answers do */
  bom = false;
  readonly realism: Realism;
  readonly webhookLog: WebhookAttempt[] = [];
  /** answers to POSTs by MS-RequestId: a retried call gets the first answer (docs/partner-center.md) */
  readonly answered = new Map<string, { status: number; body: unknown }>();
  calls = 0;
  throttled = 0;

  constructor(
    realism: Partial<Realism> = {},
    readonly now: () => number = Date.now,
  ) {
    this.realism = { ...SERVICE_LIKE, ...realism };
  }

  /** changes under way (an asynchronous lock), for `settled()` */
  readonly pending = new Set<Promise<void>>();

  /** Run `change` after `ms`, as the service does some of its work. */
  later(ms: number, change: () => void): void {
    // unref'd: a change still under way (a long lock delay) does not keep a stopping process alive
    const done: Promise<void> = new Promise<void>((resolve) => setTimeout(resolve, ms).unref())
      .then(change)
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  /** A GDAP id has the documented shape: two GUIDs joined by '-'. */
  newRelationshipId(): string {
    return `${randomUUID()}-${randomUUID()}`;
  }

  snapshot(): Record<string, unknown> {
    return {
      customers: [...this.customers.values()].filter((c) => c.relationshipToPartner === 'reseller'),
      tenants: [...this.customers.values()],
      relationships: [...this.relationships.values()],
      accessAssignments: [...this.accessAssignments.values()],
      assignmentFaults: this.assignmentFaults,
      throttle: this.throttle,
      webhooksEnabled: this.webhooksEnabled,
      realism: this.realism,
      webhookLog: this.webhookLog,
      calls: this.calls,
      throttled: this.throttled,
    };
  }
}

/** `Northwind Traders Holding GmbH` → `northwindtradersholdinggmbh.onmicrosoft.com` (letters and digits, ≤ 27). */
export function defaultDomainFor(companyName: string): string {
  const label = companyName
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 27);
  return `${label || 'tenant'}.onmicrosoft.com`;
}
