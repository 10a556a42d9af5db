/**
 * What the webhook and the reconciler detect, in one vocabulary. Each event has a key that names the change itself,
 * not who saw it, so the webhook and the reconciler seeing the same change record it once (the outbox stores a key
 * once), and a crash after detection only ever replays the same key.
 */
import { newJob } from '../outbox/types.js';
import type { PartnerCustomer, Store } from '../ports.js';

export type AdminChange = 'granted' | 'revoked' | 'expired';
export type RequestNotice = 'reminder' | 'expired' | 'expiring-30' | 'expiring-7';

export type PartnerEvent =
  /** a customer accepted the reseller relationship; `customer` when the detector already knows its profile */
  | { readonly kind: 'customer-accepted'; readonly tenantId: string; readonly customer?: PartnerCustomer | undefined }
  | { readonly kind: 'customer-removed'; readonly tenantId: string; readonly companyName: string }
  | {
      readonly kind: 'admin-changed';
      readonly relationshipId: string;
      readonly to: AdminChange;
      readonly endDateTime?: string | undefined;
      /** the customer tenant that approved, when the detector already knows it */
      readonly customerTenantId?: string | undefined;
    }
  | { readonly kind: 'request-notice'; readonly requestId: string; readonly notice: RequestNotice }
  /**
   * an access assignment of the relationship changed; `mark` names the change (the webhook's event and assignment,
   * or the statuses the reconciler saw), so copies of one change record it once
   */
  | { readonly kind: 'access-changed'; readonly relationshipId: string; readonly mark: string }
  /** the relationship's end date or auto-extend changed (the customer may turn auto-extend on later) */
  | {
      readonly kind: 'admin-terms';
      readonly relationshipId: string;
      readonly endDateTime?: string | undefined;
      readonly autoExtends: boolean;
    }
  /** every configured access assignment of the relationship is active: the rights are usable */
  | { readonly kind: 'access-ready'; readonly relationshipId: string };

export type EventSource = 'webhook' | 'reconciler' | 'reminders' | 'assignments';

export function eventKey(event: PartnerEvent): string {
  switch (event.kind) {
    case 'customer-accepted':
      return `relationship.accepted:${event.tenantId.toLowerCase()}`;
    case 'customer-removed':
      return `relationship.removed:${event.tenantId.toLowerCase()}`;
    case 'admin-changed':
      return `admin.${event.to}:${event.relationshipId}`;
    case 'request-notice':
      return `request.${event.notice}:${event.requestId}`;
    case 'access-changed':
      return `access.changed:${event.relationshipId}:${event.mark}`;
    case 'admin-terms':
      return `admin.terms:${event.relationshipId}:${event.endDateTime ?? ''}:${event.autoExtends ? 'auto' : 'fixed'}`;
    case 'access-ready':
      return `access.ready:${event.relationshipId}`;
  }
}

/** Record detected events durably; one already recorded is left alone. Returns how many were new. */
export async function recordEvents(
  store: Store,
  events: readonly PartnerEvent[],
  source: EventSource,
  now: Date,
): Promise<number> {
  if (events.length === 0) return 0;
  return store.outbox.enqueue(
    events.map((event) => newJob('event', eventKey(event), { event, source, detectedAt: now.toISOString() }, now)),
    now,
  );
}

/** The reconciler's records of customers it has seen (and notified about), keyed by tenant id. */
export const KNOWN_CUSTOMER_PREFIX = 'customer:';

/** The key of a known customer's record: tenant ids compare without case. */
export function knownCustomerKey(tenantId: string): string {
  return `${KNOWN_CUSTOMER_PREFIX}${tenantId.toLowerCase()}`;
}
