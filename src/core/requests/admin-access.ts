/**
 * Asking the customer for admin rights (GDAP) for a request: create a relationship with the configured roles and
 * duration, lock it for approval, and put its approval link on the request and in the draft. A failure leaves the
 * request as it was, with the reason kept for the card (which then offers a retry); the relationship's display name
 * comes from the request id, so a retry finds what an interrupted attempt created instead of making a second one.
 * Asked again after a revoke or an expiry (or before an expiry, to renew), the request gets a new relationship and
 * link; the timeline keeps every relationship it asked for.
 */
import type { CoreDeps } from '../commands/types.js';
import { isBotError, NotFoundError } from '../errors.js';
import { isOpen, type Actor, type RelationshipRequest } from '../model.js';
import { clipChars } from '../text.js';
import { formatInstant } from '../views/format.js';
import { draftWithGdapLink, withoutGdapLink } from './gdap-link.js';
import { mutateRequest } from './mutate.js';
import { changeAdminAccess } from './state-machine.js';

const DISPLAY_NAME_MAX = 50;

/** Unique per request and attempt, at most 50 characters (Graph's rule): "<customer name> RR-7K2Q9", then "…-2". */
export function gdapDisplayName(request: Pick<RelationshipRequest, 'id' | 'customerName'>, attempt = 1): string {
  const tag = attempt > 1 ? `${request.id}-${attempt}` : request.id;
  const room = DISPLAY_NAME_MAX - tag.length - 1;
  const name = clipChars(request.customerName.replace(/\s+/g, ' ').trim(), room).trim();
  return name ? `${name} ${tag}` : tag;
}

/** Why a request may be asked for admin access again, or `undefined` when it may not (docs/behaviour.md#asking-again). */
export function againReason(request: RelationshipRequest): 'ended' | 'renewal' | undefined {
  if (!AGAIN_STATUSES.includes(request.status)) return undefined;
  if (request.adminAccess === 'revoked' || request.adminAccess === 'expired') return 'ended';
  // warned that it ends soon (30 or 7 days before), and it does not extend itself
  const warned = (request.notices ?? []).some((n) => n.startsWith('expiring-'));
  return request.adminAccess === 'granted' && warned && !request.gdapAutoExtends ? 'renewal' : undefined;
}

/** Admin access can be asked for while the request is open, and after the customer accepted. */
const AGAIN_STATUSES: readonly RelationshipRequest['status'][] = ['draft', 'sent', 'accepted'];

/**
 * How many relationships the request has asked for so far. Graph wants display names unique among the partner's
 * relationships, so the second and later ones carry the number: "Northwind RR-7K2Q9-2".
 */
function attemptsSoFar(request: RelationshipRequest): number {
  return request.timeline.filter((t) => t.type === 'adminAccess' && t.to === 'pending').length;
}

/**
 * `requestOrId` is the request itself when the caller has just inserted it (nothing to read again, and no earlier
 * attempt to look for in Partner Center), otherwise its id. `again`: a new relationship for a request whose admin
 * access ended or is about to (otherwise only a request that never asked does).
 */
export async function requestAdminAccess(
  deps: Pick<CoreDeps, 'store' | 'clock' | 'directory' | 'settings' | 'logger'>,
  requestOrId: string | RelationshipRequest,
  actor: Actor,
  again = false,
): Promise<RelationshipRequest> {
  const { directory, settings } = deps;
  const justCreated = typeof requestOrId !== 'string';
  const requestId = justCreated ? requestOrId.id : requestOrId;
  const current = justCreated ? requestOrId : await deps.store.requests.get(requestId);
  if (!current) throw new NotFoundError(`There is no request ${requestId}.`);
  const due = (r: RelationshipRequest) =>
    again ? againReason(r) !== undefined : r.adminAccess === 'not-requested' && isOpen(r);
  // closed meanwhile (cancelled between its card and this): nobody is asked for admin rights any more
  if (!directory || !settings.gdap || !due(current)) return current;
  const attempt = attemptsSoFar(current) + 1;
  const name = gdapDisplayName(current, attempt);
  let granted: Awaited<ReturnType<typeof directory.requestAdminAccess>>;
  try {
    granted = await directory.requestAdminAccess({
      displayName: name,
      roles: settings.gdap.roles,
      duration: settings.gdap.duration,
      autoExtend: settings.gdap.autoExtend,
      customerTenantId: attempt > 1 ? confirmedTenant(current) : undefined,
      firstAttempt: justCreated,
    });
  } catch (err) {
    if (!isBotError(err)) throw err;
    deps.logger.warn({ err, requestId }, 'GDAP relationship could not be created');
    const problem = `Admin access (GDAP) could not be requested: ${err.message}`;
    const at = deps.clock.now().toISOString();
    const { request } = await mutateRequest(deps.store.requests, requestId, (r) =>
      due(r) && r.adminAccessProblem !== problem ? { at, set: { adminAccessProblem: problem }, append: [] } : null,
    );
    return request;
  }
  const at = deps.clock.now().toISOString();
  const { request } = await mutateRequest(
    deps.store.requests,
    requestId,
    (r) => {
      if (!due(r) || attemptsSoFar(r) + 1 !== attempt) return null;
      const renewal =
        r.adminAccess === 'granted' && r.gdapEndsAt ? renewalNote(r.gdapRelationshipId, r.gdapEndsAt) : undefined;
      const change = changeAdminAccess(r, 'pending', actor, at, renewal, granted.relationship.id);
      if (!change) return null;
      const withoutOld = { ...r, ...withoutGdapLink(settings, r) };
      return {
        ...change,
        set: {
          ...change.set,
          gdapRelationshipId: granted.relationship.id,
          gdapLink: granted.approvalLink,
          linkVersions: { ...r.linkVersions, gdap: r.version + 1 },
          gdapRoles: settings.gdap?.roles,
          adminAccessProblem: undefined,
          draft: draftWithGdapLink(settings, withoutOld, granted.approvalLink),
          // what belonged to the earlier relationship
          ...(attempt > 1
            ? {
                accessAssignments: undefined,
                gdapEndsAt: undefined,
                gdapAutoExtends: undefined,
                notices: (r.notices ?? []).filter((n) => !n.startsWith('expiring-')),
              }
            : {}),
        },
      };
    },
    justCreated ? current : undefined,
  );
  return request;
}

/**
 * The customer's tenant as Microsoft confirmed it (an acceptance or a GDAP approval linked it), for a relationship
 * asked again: only that tenant can approve it. A tenant staff typed is not used: a typo would lock the customer out.
 */
function confirmedTenant(request: RelationshipRequest): string | undefined {
  const tenantId = request.customerTenantId;
  const confirmed = request.timeline.some((t) => t.type === 'customer-linked' && t.tenantId === tenantId);
  return tenantId && confirmed && GUID.test(tenantId) ? tenantId : undefined;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The timeline's word on a renewal: the earlier relationship keeps working until its end. */
function renewalNote(relationshipId: string | undefined, endsAt: string): string {
  return `renewal: the approved relationship${relationshipId ? ` ${relationshipId}` : ''} keeps working until ${formatInstant(endsAt)}`;
}
