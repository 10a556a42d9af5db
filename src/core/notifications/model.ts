import type { RelationshipRequest } from '../model.js';
import { againReason } from '../requests/admin-access.js';
import { describeAdminAccess, describeStatus } from '../requests/state-machine.js';
import { approvedAfterCancel } from '../views/request-view.js';
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

/** How a notification reads at a glance: good news, something to act on, or bad news. */
export type NotificationTone = 'good' | 'attention' | 'bad';

/**
 * Every notification's title, tone and whether the Cloud Reseller Agreement reminder may apply
 * (docs/behaviour.md#notifications). The reminder applies only where admin rights the customer had granted were
 * taken away while the reseller relationship stands: the partner still supports that customer, without the rights.
 */
export const NOTIFICATION_RULES: Readonly<
  Record<NotificationEvent, { readonly title: string; readonly tone: NotificationTone; readonly reminder: boolean }>
> = {
  'relationship.accepted': { title: 'Customer accepted the reseller relationship', tone: 'good', reminder: false },
  'relationship.unmatched': {
    title: 'A customer accepted, but no open request matches',
    tone: 'attention',
    reminder: false,
  },
  'admin.granted': { title: 'Admin access (GDAP) approved', tone: 'good', reminder: false },
  'admin.ready': { title: 'Admin access is ready to use', tone: 'good', reminder: false },
  'admin.revoked': { title: 'Admin access (GDAP) revoked', tone: 'bad', reminder: true },
  'admin.expired': { title: 'Admin access (GDAP) expired', tone: 'bad', reminder: true },
  'admin.expiring': { title: 'Admin access (GDAP) expires soon', tone: 'attention', reminder: false },
  'relationship.removed': { title: 'Reseller relationship removed', tone: 'bad', reminder: false },
  'request.reminder': { title: 'Invitation not answered yet', tone: 'attention', reminder: false },
  'request.expired': { title: 'Invitation expired', tone: 'bad', reminder: false },
};

export interface NotificationFact {
  readonly label: string;
  readonly value: string;
}

/** The notification card's data (plain text everywhere; renderers escape). */
export interface NotificationModel {
  readonly event: NotificationEvent;
  readonly title: string;
  readonly tone: NotificationTone;
  /** '' when the event is not about one request (an unmatched acceptance) */
  readonly requestId: string;
  readonly customerName: string;
  readonly facts: readonly NotificationFact[];
  /** extra lines, e.g. the candidates of an unmatched acceptance */
  readonly details: readonly string[];
  /** the support-responsibility reminder where it applies (see NOTIFICATION_RULES); '' otherwise */
  readonly supportReminder: string;
  readonly at: string;
  readonly atText: string;
  /** an acceptance a person has to tie to a request: one button per candidate, and "None of these" */
  readonly choices?: AcceptanceChoices | undefined;
  /** what can be done about it from the notification itself (see `notificationButtons`) */
  readonly buttons?: readonly NotificationButton[] | undefined;
}

/**
 * A button under a notification about one request, named by the card action it runs on that request (the templates
 * spell its title, as on the card).
 */
export type NotificationButton = 'requestAdminAgain' | 'terminateAdminAccess';

/**
 * Admin access revoked, expired or about to expire: ask again from the notice. Approved for a cancelled request:
 * end it from the notice.
 */
export function notificationButtons(event: NotificationEvent, request: RelationshipRequest): NotificationButton[] {
  if (['admin.revoked', 'admin.expired', 'admin.expiring'].includes(event) && againReason(request)) {
    return ['requestAdminAgain'];
  }
  if (event === 'admin.granted' && approvedAfterCancel(request)) {
    return ['terminateAdminAccess'];
  }
  return [];
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
    title: NOTIFICATION_RULES[event].title,
    tone: NOTIFICATION_RULES[event].tone,
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
    supportReminder: reminderApplies(event, request) ? SUPPORT_REMINDER : '',
    at,
    atText: formatInstant(at),
    buttons: notificationButtons(event, request),
  };
}

/** Which of a notification's buttons to show, as the card templates' `$when` flags. */
export function notificationButtonFlags(model: NotificationModel): {
  requestId: string;
  hasButtons: boolean;
  canRequestAdminAgain: boolean;
  canEndAdminAccess: boolean;
} {
  const has = (button: NotificationButton) => (model.buttons ?? []).includes(button);
  return {
    requestId: model.requestId,
    hasButtons: (model.buttons ?? []).length > 0,
    canRequestAdminAgain: has('requestAdminAgain'),
    canEndAdminAccess: has('terminateAdminAccess'),
  };
}

/** Title for an event, for notifications not built from a request. */
export function notificationTitle(event: NotificationEvent): string {
  return NOTIFICATION_RULES[event].title;
}

/** Rights the customer had granted, taken away while the reseller relationship stands. */
export function reminderApplies(
  event: NotificationEvent,
  request: Pick<RelationshipRequest, 'status' | 'timeline'>,
): boolean {
  if (!NOTIFICATION_RULES[event].reminder || request.status !== 'accepted') return false;
  const changes = request.timeline.filter((t) => t.type === 'adminAccess');
  const last = changes[changes.length - 1];
  return last?.type === 'adminAccess' && last.from === 'granted';
}
