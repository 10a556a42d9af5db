/**
 * The emulator's Graph access assignments (docs/partner-center.md#access-assignments): create, list and get under a
 * relationship. As in Graph, a new assignment is `pending` and becomes `active` a while later; only an active
 * relationship takes one, its roles must be among the relationship's, and a group already assigned is refused
 * with 409 (whether Graph does so is not documented: the less convenient answer). Each change fires the
 * `granular-admin-access-assignment-*` webhook.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { jsonObjectBody, rawBody } from '../http/body.js';
import { param } from './params.js';
import type { EmulatedAccessAssignment, EmulatorState } from './state.js';

import { GUID } from '../config/fields.js';

export type AssignmentNotifier = (event: string, assignment: EmulatedAccessAssignment, tenantId?: string) => void;
/** How the emulator fires a webhook (the sender's signature). */
export type SendWebhook = (events: string[], resourceUri: string, resourceName: string, tenantId?: string) => void;

/** The webhook for an assignment change: ResourceUri names the relationship and the assignment. */
export function assignmentNotifier(send: SendWebhook): AssignmentNotifier {
  return (event, a, tenantId) => {
    send(
      [event],
      `https://partner.microsoft.com/granularAdminRelationships/${a.relationshipId}/accessAssignments/${a.id}`,
      'GranularAdminAccessAssignment',
      tenantId,
    );
  };
}

export function accessAssignmentRoutes(
  router: Router,
  path: string,
  state: EmulatorState,
  notify: AssignmentNotifier,
  idempotent: (req: Request, res: Response, next: () => void) => void,
  graphError: (res: Response, status: number, code: string, message: string) => void,
): void {
  const of = (relationshipId: string) =>
    [...state.accessAssignments.values()].filter((a) => a.relationshipId === relationshipId);

  router.get(`${path}/:id/accessAssignments`, (req, res) => {
    if (!state.relationships.has(param(req, 'id'))) {
      graphError(res, 404, 'NotFound', 'No such relationship.');
      return;
    }
    res.json({ '@odata.context': 'emulator', value: of(param(req, 'id')).map(assignmentResource) });
  });

  router.get(`${path}/:id/accessAssignments/:assignmentId`, (req, res) => {
    const a = state.accessAssignments.get(param(req, 'assignmentId'));
    if (!a || a.relationshipId !== param(req, 'id')) graphError(res, 404, 'NotFound', 'No such access assignment.');
    else res.json(assignmentResource(a));
  });

  router.post(`${path}/:id/accessAssignments`, ...rawBody, jsonObjectBody, idempotent, (req, res) => {
    const r = state.relationships.get(param(req, 'id'));
    if (!r) {
      graphError(res, 404, 'NotFound', 'No such relationship.');
      return;
    }
    if (r.status !== 'active') {
      graphError(res, 400, 'BadRequest', `The relationship is ${r.status}; access can be assigned once it is active.`);
      return;
    }
    const body = req.body as Record<string, unknown>;
    const container = body['accessContainer'] as Record<string, unknown> | undefined;
    const groupId = container?.['accessContainerId'];
    if (typeof groupId !== 'string' || !GUID.test(groupId) || container?.['accessContainerType'] !== 'securityGroup') {
      graphError(res, 400, 'BadRequest', 'accessContainer must name a security group by its object id.');
      return;
    }
    const unified = (body['accessDetails'] as { unifiedRoles?: { roleDefinitionId?: unknown }[] } | undefined)
      ?.unifiedRoles;
    const roles = (Array.isArray(unified) ? unified : []).map((u) => String(u.roleDefinitionId).toLowerCase());
    const allowed = new Set(r.roles.map((role) => role.toLowerCase()));
    if (roles.length === 0 || roles.some((role) => !allowed.has(role))) {
      graphError(res, 400, 'BadRequest', 'accessDetails.unifiedRoles must be among the relationship roles.');
      return;
    }
    if (state.assignmentFaults.refuse > 0) {
      state.assignmentFaults.refuse--;
      graphError(res, 400, 'BadRequest', `The security group ${groupId} was not found in the partner tenant.`);
      return;
    }
    const key = groupId.toLowerCase();
    if (of(r.id).some((a) => a.groupId === key && a.status !== 'deleted')) {
      graphError(res, 409, 'Conflict', `Group ${groupId} already has an access assignment on this relationship.`);
      return;
    }
    const now = new Date(state.now()).toISOString();
    const assignment: EmulatedAccessAssignment = {
      id: randomUUID(),
      relationshipId: r.id,
      groupId: key,
      roles,
      status: 'pending',
      createdDateTime: now,
      lastModifiedDateTime: now,
    };
    state.accessAssignments.set(assignment.id, assignment);
    notify('granular-admin-access-assignment-created', assignment, r.customer?.tenantId);
    state.later(state.realism.assignmentDelayMs, () => {
      if (assignment.status !== 'pending') return;
      assignment.status = 'active';
      assignment.lastModifiedDateTime = new Date(state.now()).toISOString();
      notify('granular-admin-access-assignment-activated', assignment, r.customer?.tenantId);
    });
    res
      .status(201)
      .location(`${req.baseUrl}${path}/${r.id}/accessAssignments/${assignment.id}`)
      .json(assignmentResource(assignment));
  });
}

/** A relationship that ends takes its access assignments with it. */
export function deleteAssignmentsOf(state: EmulatorState, relationshipId: string, notify: AssignmentNotifier): void {
  for (const a of state.accessAssignments.values()) {
    if (a.relationshipId !== relationshipId || a.status === 'deleted') continue;
    a.status = 'deleted';
    a.lastModifiedDateTime = new Date(state.now()).toISOString();
    notify('granular-admin-access-assignment-deleted', a);
  }
}

export function assignmentResource(a: EmulatedAccessAssignment): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminAccessAssignment',
    id: a.id,
    status: a.status,
    createdDateTime: a.createdDateTime,
    lastModifiedDateTime: a.lastModifiedDateTime,
    accessContainer: { accessContainerId: a.groupId, accessContainerType: 'securityGroup' },
    accessDetails: { unifiedRoles: a.roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
  };
}
