/** Everything the emulator holds, in memory: customers, GDAP relationships and the knobs tests turn. */
import { randomUUID } from 'node:crypto';

export interface EmulatedCustomer {
  readonly tenantId: string;
  readonly companyName: string;
  readonly domain: string;
  readonly customDomains: readonly string[];
  relationshipToPartner: 'reseller' | 'none';
}

export type EmulatedStatus = 'created' | 'approvalPending' | 'active' | 'terminated' | 'expired';

export interface EmulatedRelationship {
  readonly id: string;
  readonly displayName: string;
  readonly duration: string;
  readonly roles: readonly string[];
  status: EmulatedStatus;
  customer?: { tenantId: string; displayName: string } | undefined;
  readonly createdDateTime: string;
  lastModifiedDateTime: string;
  activatedDateTime?: string | undefined;
  endDateTime?: string | undefined;
}

export interface WebhookAttempt {
  readonly eventName: string;
  readonly at: string;
  readonly status: number | string;
}

export class EmulatorState {
  readonly customers = new Map<string, EmulatedCustomer>();
  readonly relationships = new Map<string, EmulatedRelationship>();
  /** the next `remaining` API calls answer 429 with `Retry-After: retryAfterSeconds` */
  throttle = { remaining: 0, retryAfterSeconds: 1 };
  webhooksEnabled = true;
  /** start Partner Center bodies with a UTF-8 BOM, as some real answers do */
  bom = false;
  readonly webhookLog: WebhookAttempt[] = [];
  /** answers to POSTs by MS-RequestId: a retried call gets the first answer (docs/partner-center.md) */
  readonly answered = new Map<string, { status: number; body: unknown }>();
  calls = 0;
  throttled = 0;

  /** A GDAP id has the documented shape: two GUIDs joined by '-'. */
  newRelationshipId(): string {
    return `${randomUUID()}-${randomUUID()}`;
  }

  snapshot(): Record<string, unknown> {
    return {
      customers: [...this.customers.values()],
      relationships: [...this.relationships.values()],
      throttle: this.throttle,
      webhooksEnabled: this.webhooksEnabled,
      webhookLog: this.webhookLog,
      calls: this.calls,
      throttled: this.throttled,
    };
  }
}
