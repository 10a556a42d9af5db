/**
 * The GDAP approval link in a request's draft (docs/behaviour.md#the-request-card): put in when admin access is
 * asked for, taken out when the relationship behind it is gone (revoked, expired, withdrawn), so nobody mails a dead
 * link. A draft nobody edited is filled from the template again; an edited one keeps its text around the link.
 */
import type { CoreDeps } from '../commands/types.js';
import type { Draft, RelationshipRequest } from '../model.js';
import { charCount } from '../text.js';
import { composeDraft, containsLinkIntact, DRAFT_MAX_LENGTH, LINK_LEADS, withLink, type DraftValues } from './draft.js';
import type { MutableFields } from './state-machine.js';

export type DraftSettings = Pick<CoreDeps['settings'], 'draftTemplate' | 'partnerName'>;

/**
 * The draft with the approval link: the template filled again while nobody has edited the draft, otherwise the
 * edited text with the link added at the end (when it still fits).
 */
export function draftWithGdapLink(settings: DraftSettings, request: RelationshipRequest, gdapLink: string): Draft {
  if (isUntouched(settings, request, '')) {
    const filled = composeDraft(settings.draftTemplate, { ...draftValues(settings, request), gdapLink });
    if (containsLinkIntact(filled.body, gdapLink)) return filled;
  }
  const appended = withLink(request.draft.body, 'gdap', gdapLink);
  return charCount(appended) <= DRAFT_MAX_LENGTH ? { ...request.draft, body: appended } : request.draft;
}

/**
 * The draft without the request's approval link. Untouched: the template without its GDAP block. Edited: the
 * paragraph holding the link goes, and so does a paragraph right before it that introduces it (ends with ":").
 */
export function draftWithoutGdapLink(settings: DraftSettings, request: RelationshipRequest): Draft {
  const link = request.gdapLink;
  if (!link || !containsLinkIntact(request.draft.body, link)) return request.draft;
  if (isUntouched(settings, request, link)) {
    return composeDraft(settings.draftTemplate, { ...draftValues(settings, request), gdapLink: '' });
  }
  const paragraphs = request.draft.body.split(/\n{2,}/);
  const kept: string[] = [];
  for (const paragraph of paragraphs) {
    if (!containsLinkIntact(paragraph, link)) {
      kept.push(paragraph);
      continue;
    }
    const lines = paragraph.split('\n').filter((line) => !containsLinkIntact(line, link));
    const rest = lines.filter((line) => !isLead(line)).join('\n');
    if (kept.length > 0 && isLead(kept[kept.length - 1] ?? '') && rest.trim() === '') kept.pop();
    if (rest.trim() !== '') kept.push(rest);
  }
  const body = kept.join('\n\n').trim();
  return body === '' ? request.draft : { ...request.draft, body };
}

/** The fields that take a dead approval link off a request (its card shows no link; the draft carries none). */
export function withoutGdapLink(settings: DraftSettings, request: RelationshipRequest): Partial<MutableFields> {
  if (!request.gdapLink) return {};
  const draft = draftWithoutGdapLink(settings, request);
  return {
    gdapLink: undefined,
    linkVersions: { ...request.linkVersions, gdap: request.version + 1 },
    ...(draft === request.draft ? {} : { draft }),
  };
}

/** A line that only introduces a link: ends with a colon (the template's and our own added lead do). */
function isLead(line: string): boolean {
  return line.trim() === LINK_LEADS.gdap || /:\s*$/.test(line);
}

function isUntouched(settings: DraftSettings, request: RelationshipRequest, gdapLink: string): boolean {
  const original = composeDraft(settings.draftTemplate, { ...draftValues(settings, request), gdapLink });
  return original.subject === request.draft.subject && original.body === request.draft.body;
}

function draftValues(settings: DraftSettings, request: RelationshipRequest): Omit<DraftValues, 'gdapLink'> {
  return {
    customerName: request.customerName,
    contactEmail: request.contactEmail,
    domain: request.domain,
    partnerName: settings.partnerName,
    requesterName: request.requester.name,
    resellerLink: request.resellerLink,
  };
}
