/**
 * Access-assignment events (docs/behaviour.md#access-assignments): a change Graph reports is recorded on the
 * request (its card shows where the assignments stand), and the channel hears "ready to use" once, when all of them
 * are active. Also the relationship's terms (end date, auto-extend) as the reconciler re-reads them.
 */
import { requestNotification } from '../notifications/model.js';
import { syncAccessAssignments } from '../requests/access-assignments.js';
import { mutateRequest } from '../requests/mutate.js';
import type { PartnerEvent } from './events.js';
import type { EventOutcome, HandlerDeps } from './handle-event.js';

export async function accessChanged(deps: HandlerDeps, relationshipId: string): Promise<EventOutcome> {
  const found = await deps.store.requests.findByGdapRelationshipId(relationshipId);
  if (!found || !deps.settings) return { audience: 'subscribers' };
  const request = await syncAccessAssignments({ ...deps, settings: deps.settings }, found.id, 'observe');
  return { audience: 'subscribers', request };
}

/** The end date or auto-extend the reconciler read: kept on the request (warnings follow it); nobody is told. */
export async function adminTerms(
  deps: HandlerDeps,
  event: Extract<PartnerEvent, { kind: 'admin-terms' }>,
): Promise<EventOutcome> {
  const found = await deps.store.requests.findByGdapRelationshipId(event.relationshipId);
  if (!found || found.adminAccess !== 'granted') return { audience: 'subscribers' };
  const at = deps.clock.now().toISOString();
  const { request } = await mutateRequest(deps.store.requests, found.id, (current) =>
    current.gdapEndsAt === event.endDateTime && (current.gdapAutoExtends ?? false) === event.autoExtends
      ? null
      : { at, set: { gdapEndsAt: event.endDateTime, gdapAutoExtends: event.autoExtends }, append: [] },
  );
  return { audience: 'subscribers', request };
}

export async function accessReady(deps: HandlerDeps, relationshipId: string): Promise<EventOutcome> {
  const request = await deps.store.requests.findByGdapRelationshipId(relationshipId);
  if (!request || request.adminAccess !== 'granted') return { audience: 'subscribers' };
  const groups = request.accessAssignments ?? [];
  const details = [
    `Members of ${groups.length === 1 ? 'this security group' : 'these security groups'} can now use the roles in the customer's tenant:`,
    ...groups.map((g) => `Group ${g.groupId}: ${g.roles.length} role${g.roles.length === 1 ? '' : 's'}`),
  ];
  const at = deps.clock.now().toISOString();
  return { notification: requestNotification('admin.ready', request, at, details), audience: 'subscribers', request };
}

/** The approval notice's word on who can use the rights. */
export function assignmentLine(groups: number): string {
  return groups > 0
    ? `Assigning the roles to ${groups} of your security group${groups === 1 ? '' : 's'}; you will hear when they are ready to use.`
    : 'Nobody in your organisation can use these rights until they are assigned to your security groups: in Partner ' +
        'Center, Customers → this customer → Admin relationships → the relationship → Assign roles (or set ' +
        'GDAP_ACCESS_ASSIGNMENTS and the bot does it).';
}
