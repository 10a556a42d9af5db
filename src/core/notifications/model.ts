import type { RelationshipRequest } from '../model.js';
import { describeAdminAccess, describeStatus } from '../requests/state-machine.js';
import { formatInstant } from '../views/format.js';

/** The notification events (docs/behaviour.md#notifications). */
export const NOTIFICATION_EVENTS = [
  'relationship.accepted',
  'relationship.unmatched',
  'admin.granted',
  'admin.ready',
  'admin.revoked',
  'admin.expired',
  'admin.expiring',
  'relationship.removed',
  'request.reminder',
  'request.expired',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const SUPPORT_REMINDER =
  'Your organisation remains responsible for supporting this customer under the Cloud Reseller Agreement; you can ' +
  'still open a Microsoft support request for them in Partner Center.';

const TITLES: Readonly<Record<NotificationEvent, string>> = {
  'relationship.accepted': 'Customer accepted the reseller relationship',
  'relationship.unmatched': 'A customer accepted, but no open request matches',
  'admin.granted': 'Admin access (GDAP) approved',
  'admin.ready': 'Admin access is ready to use',
  'admin.revoked': 'Admin access (GDAP) revoked',
  'admin.expired': 'Admin access (GDAP) expired',
  'admin.expiring': 'Admin access (GDAP) expires soon',
  'relationship.removed': 'Reseller relationship removed',
  'request.reminder': 'Invitation not answered yet',
  'request.expired': 'Invitation expired',
};

export interface NotificationFact {
  readonly label: string;
  readonly value: string;
}

/** The notification card's data (plain text everywhere; renderers escape). */
export interface NotificationModel {
  readonly event: NotificationEvent;
  readonly title: string;
  /** '' when the event is not about one request (an unmatched acceptance) */
  readonly requestId: string;
  readonly customerName: string;
  readonly facts: readonly NotificationFact[];
  /** extra lines, e.g. the candidates of an unmatched acceptance */
  readonly details: readonly string[];
  /** revoked and removed carry the support-responsibility reminder; '' otherwise */
  readonly supportReminder: string;
  readonly at: string;
  readonly atText: string;
  /** an acceptance a person has to tie to a request: one button per candidate, and "None of these" */
  readonly choices?: AcceptanceChoices | undefined;
}

/** The buttons of an acceptance the bot could not decide (`requestId` '' = none of these). */
export interface AcceptanceChoices {
  readonly tenantId: string;
  readonly options: readonly { readonly requestId: string; readonly scope: string; readonly label: string }[];
}

/** A notification about one request, with its current state as facts. */
export function requestNotification(
  event: NotificationEvent,
  request: RelationshipRequest,
  at: string,
  details: readonly string[] = [],
): NotificationModel {
  return {
    event,
    title: TITLES[event],
    requestId: request.id,
    customerName: request.customerName,
    facts: [
      { label: 'Request', value: request.id },
      { label: 'Contact', value: request.contactEmail },
      { label: 'Domain', value: request.domain },
      { label: 'Requested by', value: request.requester.name },
      { label: 'Status', value: describeStatus(request.status) },
      { label: 'Admin access', value: describeAdminAccess(request.adminAccess) },
    ],
    details,
    supportReminder: event === 'admin.revoked' || event === 'relationship.removed' ? SUPPORT_REMINDER : '',
    at,
    atText: formatInstant(at),
  };
}

/** Title for an event, for notifications not built from a request. */
export function notificationTitle(event: NotificationEvent): string {
  return TITLES[event];
}
