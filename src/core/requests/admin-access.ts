/**
 * Asking the customer for admin rights (GDAP) for a request: create a relationship with the configured roles and
 * duration, lock it for approval, and put its approval link on the request and in the draft. A failure leaves the
 * request as it was, with the reason kept for the card (which then offers a retry); the relationship's display name
 * comes from the request id, so a retry finds what an interrupted attempt created instead of making a second one.
 */
import type { CoreDeps } from '../commands/types.js';
import { isBotError, NotFoundError } from '../errors.js';
import { isOpen, type Actor, type Draft, type RelationshipRequest } from '../model.js';
import { composeDraft, containsLinkIntact, DRAFT_MAX_LENGTH, withLink } from './draft.js';
import { charCount, clipChars } from '../text.js';
import { mutateRequest } from './mutate.js';
import { changeAdminAccess } from './state-machine.js';

const DISPLAY_NAME_MAX = 50;

/** Unique per request and at most 50 characters (Graph's rule): "<customer name> RR-7K2Q9". */
export function gdapDisplayName(request: Pick<RelationshipRequest, 'id' | 'customerName'>): string {
  const room = DISPLAY_NAME_MAX - request.id.length - 1;
  const name = clipChars(request.customerName.replace(/\s+/g, ' ').trim(), room).trim();
  return name ? `${name} ${request.id}` : request.id;
}

/**
 * `requestOrId` is the request itself when the caller has just inserted it (nothing to read again, and no earlier
 * attempt to look for in Partner Center), otherwise its id.
 */
export async function requestAdminAccess(
  deps: Pick<CoreDeps, 'store' | 'clock' | 'directory' | 'settings' | 'logger'>,
  requestOrId: string | RelationshipRequest,
  actor: Actor,
): Promise<RelationshipRequest> {
  const { directory, settings } = deps;
  const justCreated = typeof requestOrId !== 'string';
  const requestId = justCreated ? requestOrId.id : requestOrId;
  const current = justCreated ? requestOrId : await deps.store.requests.get(requestId);
  if (!current) throw new NotFoundError(`There is no request ${requestId}.`);
  // closed meanwhile (cancelled between its card and this): nobody is asked for admin rights any more
  if (!directory || !settings.gdap || current.adminAccess !== 'not-requested' || !isOpen(current)) return current;
  let granted: Awaited<ReturnType<typeof directory.requestAdminAccess>>;
  try {
    granted = await directory.requestAdminAccess({
      displayName: gdapDisplayName(current),
      roles: settings.gdap.roles,
      duration: settings.gdap.duration,
      autoExtend: settings.gdap.autoExtend,
      firstAttempt: justCreated,
    });
  } catch (err) {
    if (!isBotError(err)) throw err;
    deps.logger.warn({ err, requestId }, 'GDAP relationship could not be created');
    const problem = `Admin access (GDAP) could not be requested: ${err.message}`;
    const at = deps.clock.now().toISOString();
    const { request } = await mutateRequest(deps.store.requests, requestId, (r) =>
      r.adminAccess === 'not-requested' && r.adminAccessProblem !== problem
        ? { at, set: { adminAccessProblem: problem }, append: [] }
        : null,
    );
    return request;
  }
  const at = deps.clock.now().toISOString();
  const { request } = await mutateRequest(
    deps.store.requests,
    requestId,
    (r) => {
      const change = changeAdminAccess(r, 'pending', actor, at);
      if (!change) return null;
      return {
        ...change,
        set: {
          ...change.set,
          gdapRelationshipId: granted.relationship.id,
          gdapLink: granted.approvalLink,
          linkVersions: { ...r.linkVersions, gdap: r.version + 1 },
          gdapRoles: settings.gdap?.roles,
          adminAccessProblem: undefined,
          draft: draftWithGdapLink(deps, r, granted.approvalLink),
        },
      };
    },
    justCreated ? current : undefined,
  );
  return request;
}

/**
 * The draft with the approval link: the template filled again while nobody has edited the draft, otherwise the
 * edited text with the link added at the end (when it still fits).
 */
function draftWithGdapLink(deps: Pick<CoreDeps, 'settings'>, request: RelationshipRequest, gdapLink: string): Draft {
  const values = {
    customerName: request.customerName,
    contactEmail: request.contactEmail,
    domain: request.domain,
    partnerName: deps.settings.partnerName,
    requesterName: request.requester.name,
    resellerLink: request.resellerLink,
  };
  const original = composeDraft(deps.settings.draftTemplate, { ...values, gdapLink: '' });
  if (original.subject === request.draft.subject && original.body === request.draft.body) {
    const filled = composeDraft(deps.settings.draftTemplate, { ...values, gdapLink });
    if (containsLinkIntact(filled.body, gdapLink)) return filled;
  }
  const appended = withLink(request.draft.body, 'gdap', gdapLink);
  return charCount(appended) <= DRAFT_MAX_LENGTH ? { ...request.draft, body: appended } : request.draft;
}
