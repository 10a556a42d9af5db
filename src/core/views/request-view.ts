import { isOpen, type AdminAccess, type RelationshipRequest, type Status, type TimelineEntry } from '../model.js';
import { describeAssignments } from '../requests/access-assignments.js';
import { againReason } from '../requests/admin-access.js';
import { APPROVAL_LINK_STAYS } from '../requests/end-admin-access.js';
import { describeAdminAccess, describeStatus } from '../requests/state-machine.js';
import { formatAge, formatInstant, mailtoLink } from './format.js';
import type { ListItemModel, RequestCardModel, TimelineItemModel } from './models.js';

export const ADMIN_ACCESS_COMING =
  'The admin access (GDAP) approval link is being created: this card shows it in a moment, and the draft will include it.';

/** The request card's data: what it shows and which buttons still apply in this state. */
export function requestCardModel(
  request: RelationshipRequest,
  notes: readonly string[] = [],
  /** admin access is being requested right after this card is posted (a `FollowUp`) */
  options: { adminAccessComing?: boolean } = {},
): RequestCardModel {
  const open = isOpen(request);
  const coming = options.adminAccessComing === true && request.adminAccess === 'not-requested';
  const mailto = mailtoLink(request.contactEmail, request.draft.subject, request.draft.body);
  return {
    requestId: request.id,
    customerName: request.customerName,
    contactEmail: request.contactEmail,
    domain: request.domain,
    requestedBy: request.requester.name,
    createdAt: request.createdAt,
    createdAtText: formatInstant(request.createdAt),
    status: request.status,
    statusText: describeStatus(request.status),
    adminAccess: request.adminAccess,
    adminAccessText: coming ? 'Being requested…' : adminAccessText(request),
    resellerLink: request.resellerLink,
    gdapLink: request.gdapLink ?? '',
    hasGdapLink: Boolean(request.gdapLink),
    subject: request.draft.subject,
    body: request.draft.body,
    draftSavedText: draftSavedText(request),
    mailto: mailto.url,
    mailtoIncludesBody: mailto.includesBody,
    canSaveDraft: open,
    canMarkSent: request.status === 'draft',
    canCancel: open,
    canRetryAdminAccess:
      (open && request.adminAccess === 'not-requested' && Boolean(request.adminAccessProblem)) ||
      assignmentFailed(request),
    canRequestAdminAgain: againReason(request) !== undefined,
    canEndAdminAccess: approvedAfterCancel(request),
    canSetTenant: open && request.customerTenantId === undefined,
    tenant: request.customerTenantId ?? request.tenantDomain ?? '',
    notes: unique(
      coming
        ? [...notes, ADMIN_ACCESS_COMING]
        : request.adminAccessProblem
          ? [...notes, request.adminAccessProblem]
          : [
              ...notes,
              ...assignmentProblems(request),
              ...(linkStays(request) ? [APPROVAL_LINK_STAYS] : []),
              ...renewalNotes(request),
            ],
    ),
    customerRecord: customerRecord(request),
    customerLinks: customerLinks(request),
    version: request.version,
  };
}

/** The newest save of the draft, so whoever reads the card knows the text was edited, by whom and when. */
function draftSavedText(request: RelationshipRequest): string {
  const saved = request.timeline.filter((t) => t.type === 'draft-saved').at(-1);
  return saved ? `Draft saved by ${saved.actor.name} · ${formatInstant(saved.at)}` : '';
}

/** Granted admin access says whether anyone can use it yet: requested → approved → assigned (usable). */
function adminAccessText(request: RelationshipRequest): string {
  const text = describeAdminAccess(request.adminAccess);
  return request.adminAccess === 'granted' ? `${text} — ${describeAssignments(request)}` : text;
}

/** Cancelled while the customer could still approve admin access: Graph cannot withdraw that link. */
function linkStays(request: RelationshipRequest): boolean {
  return request.status === 'cancelled' && request.adminAccess === 'pending';
}

/** The customer approved admin access for a request that had been cancelled: the card offers to end it. */
export function approvedAfterCancel(request: RelationshipRequest): boolean {
  return request.status === 'cancelled' && request.adminAccess === 'granted';
}

/** Asked again before the approved relationship ended: it keeps working meanwhile (the timeline note says until when). */
function renewalNotes(request: RelationshipRequest): string[] {
  if (request.adminAccess !== 'pending') return [];
  const last = request.timeline.filter((t) => t.type === 'adminAccess').at(-1);
  if (last?.type !== 'adminAccess' || last.from !== 'granted' || !last.note) return [];
  return [`Renewal requested. ${capitalise(last.note.replace(/^renewal: /, ''))}.`];
}

function unique(lines: readonly string[]): string[] {
  return [...new Set(lines)];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function assignmentFailed(request: RelationshipRequest): boolean {
  return request.adminAccess === 'granted' && (request.accessAssignments ?? []).some((a) => a.status === 'failed');
}

function assignmentProblems(request: RelationshipRequest): string[] {
  if (request.adminAccess !== 'granted') return [];
  return (request.accessAssignments ?? []).flatMap((a) =>
    a.status === 'failed' ? [`Assignment failed: ${a.problem ?? `group ${a.groupId}`}`] : [],
  );
}

function customerRecord(request: RelationshipRequest): RequestCardModel['customerRecord'] {
  const record = request.customerRecord;
  if (!record || !request.customerTenantId) return [];
  return [
    { label: 'Registered name', value: record.companyName || 'unknown' },
    { label: 'Default domain', value: record.defaultDomain || 'unknown' },
    { label: 'Customer tenant', value: request.customerTenantId },
  ];
}

/** Links to the accepted customer (docs/partner-center.md#the-customers-record); only for a tenant id we trust. */
function customerLinks(request: RelationshipRequest): RequestCardModel['customerLinks'] {
  const tenantId = request.customerTenantId;
  if (request.status !== 'accepted' || !tenantId || !GUID.test(tenantId)) return [];
  return [
    {
      title: 'Customer in Partner Center',
      url: `https://partner.microsoft.com/dashboard/v2/customers/${tenantId}/account`,
    },
    {
      title: 'Microsoft 365 admin center (partner view)',
      url: `https://admin.microsoft.com/Partner/BeginClientSession.aspx?CTID=${tenantId}&CSDEST=o365admincenter`,
    },
  ];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function listItemModel(request: RelationshipRequest, now: Date): ListItemModel {
  return {
    requestId: request.id,
    customerName: request.customerName,
    status: request.status,
    statusText: describeStatus(request.status),
    adminAccess: request.adminAccess,
    adminAccessText: describeAdminAccess(request.adminAccess),
    age: formatAge(request.createdAt, now),
    createdAt: request.createdAt,
  };
}

/** A status card shows the newest entries only: a long-lived request's history must not outgrow a chat message. */
export const TIMELINE_SHOWN = 20;

export function timelineModel(request: RelationshipRequest): TimelineItemModel[] {
  return request.timeline.slice(-TIMELINE_SHOWN).map((entry) => ({
    at: entry.at,
    atText: formatInstant(entry.at),
    text: entry.note ? `${describeEntry(entry)} — ${entry.note}` : describeEntry(entry),
  }));
}

/** '' when the whole timeline is shown. */
export function earlierTimelineText(request: RelationshipRequest): string {
  const hidden = request.timeline.length - TIMELINE_SHOWN;
  return hidden > 0 ? `${hidden} earlier ${hidden === 1 ? 'event is' : 'events are'} not shown.` : '';
}

const STATUS_ENTRY: Readonly<Record<Status, (actor: string) => string>> = {
  draft: () => 'Back to draft',
  sent: (actor) => `${actor} marked the email as sent`,
  cancelled: (actor) => `${actor} cancelled the request`,
  accepted: () => 'The customer accepted the reseller relationship',
  expired: () => 'The invitation expired without an answer',
  removed: () => 'The reseller relationship was removed',
};

const ADMIN_ENTRY: Readonly<Record<AdminAccess, string>> = {
  'not-requested': 'Admin access not requested',
  pending: 'Admin access (GDAP) requested — waiting for the customer to approve',
  granted: 'The customer approved admin access (GDAP)',
  revoked: 'Admin access (GDAP) was revoked',
  expired: 'Admin access (GDAP) expired',
};

export function describeEntry(entry: TimelineEntry): string {
  switch (entry.type) {
    case 'created':
      return `${entry.actor.name} created the request`;
    case 'draft-saved':
      return `${entry.actor.name} edited the draft`;
    case 'customer-linked':
      return `Linked to customer tenant ${entry.tenantId}`;
    case 'tenant-given':
      return `${entry.actor.name} gave the customer's tenant: ${entry.tenant}`;
    case 'status':
      return STATUS_ENTRY[entry.to](entry.actor.name);
    case 'adminAccess':
      return entry.to === 'pending' && entry.from !== 'not-requested'
        ? `${entry.actor.name} asked for admin access (GDAP) again${entry.relationshipId ? ` — new relationship ${entry.relationshipId}` : ''}`
        : ADMIN_ENTRY[entry.to];
  }
}
