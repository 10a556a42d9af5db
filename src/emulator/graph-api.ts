/**
 * The emulator's Graph GDAP surface (docs/partner-center.md#gdap-relationships): delegatedAdminRelationships list (`$top` ≤ 300,
 * `@odata.nextLink` with `$skipToken`, `$filter` on displayName), get, create (display name unique, ≤ 50 characters)
 * the `requests` actions lockForApproval / terminate, and access assignments (access-assignments.ts). A POST retried with the same MS-RequestId gets the first
 * answer instead of a second relationship.
 */
import { randomUUID } from 'node:crypto';
import { param } from './params.js';
import { Router, type Request, type Response } from 'express';
import { jsonObjectBody, rawBody } from '../http/body.js';
import { gate } from './partner-center-api.js';
import {
  accessAssignmentRoutes,
  assignmentNotifier,
  deleteAssignmentsOf,
  type SendWebhook,
} from './access-assignments.js';
import type { EmulatedRelationship, EmulatorState } from './state.js';

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const MAX_TOP = 300;
const PATH = '/tenantRelationships/delegatedAdminRelationships';
export const GDAP_RESOURCE = 'https://partner.microsoft.com/granularAdminRelationships/';
const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

function graphError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export function graphApi(state: EmulatorState, send: SendWebhook): Router {
  const router = Router();
  router.use(gate(state, 'graph'));
  const notifyAssignment = assignmentNotifier(send);

  router.get(PATH, (req, res) => {
    const top = req.query['$top'] === undefined ? 100 : Number(req.query['$top']);
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
      graphError(res, 400, 'BadRequest', `$top must be between 1 and ${MAX_TOP}.`);
      return;
    }
    const skip = req.query['$skipToken'] === undefined ? 0 : Number(req.query['$skipToken']);
    let all = [...state.relationships.values()];
    const filter = req.query['$filter'];
    if (typeof filter === 'string') {
      const name = /^displayName eq '((?:[^']|'')*)'$/.exec(filter)?.[1];
      if (name === undefined) {
        graphError(res, 400, 'BadRequest', 'The emulator only filters on displayName eq.');
        return;
      }
      all = all.filter((r) => r.displayName === name.replace(/''/g, "'"));
    }
    const value = all.slice(skip, skip + top).map(resource);
    const body: Record<string, unknown> = { '@odata.context': 'emulator', value };
    if (skip + top < all.length) {
      const next = new URL(`${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}${PATH}`);
      next.searchParams.set('$top', String(top));
      next.searchParams.set('$skipToken', String(skip + top));
      body['@odata.nextLink'] = next.toString();
    }
    res.json(body);
  });

  router.get(`${PATH}/:id`, (req, res) => {
    const r = state.relationships.get(param(req, 'id'));
    if (!r) graphError(res, 404, 'NotFound', 'No such relationship.');
    else res.json(resource(r));
  });

  router.post(PATH, ...rawBody, jsonObjectBody, idempotent(state), (req, res) => {
    const body = req.body as Record<string, unknown>;
    const displayName = body['displayName'];
    const duration = body['duration'];
    const roles = (body['accessDetails'] as { unifiedRoles?: { roleDefinitionId?: unknown }[] } | undefined)
      ?.unifiedRoles;
    if (typeof displayName !== 'string' || displayName.length < 1 || displayName.length > 50) {
      graphError(res, 400, 'BadRequest', 'displayName must be 1 to 50 characters.');
      return;
    }
    if (typeof duration !== 'string' || !/^P(\d+D|[12]Y)$/.test(duration)) {
      graphError(res, 400, 'BadRequest', 'duration must be an ISO-8601 duration such as P730D.');
      return;
    }
    if (!Array.isArray(roles) || roles.length === 0 || roles.some((r) => typeof r.roleDefinitionId !== 'string')) {
      graphError(res, 400, 'BadRequest', 'accessDetails.unifiedRoles must list at least one roleDefinitionId.');
      return;
    }
    const autoExtend = body['autoExtendDuration'] ?? 'PT0S';
    if (autoExtend !== 'PT0S' && autoExtend !== 'P0D' && autoExtend !== 'P180D') {
      graphError(res, 400, 'BadRequest', 'autoExtendDuration must be PT0S, P0D or P180D.');
      return;
    }
    if (
      autoExtend === 'P180D' &&
      roles.some((r) => String(r.roleDefinitionId).toLowerCase() === GLOBAL_ADMINISTRATOR)
    ) {
      graphError(res, 400, 'BadRequest', 'A relationship with the Global Administrator role cannot auto-extend.');
      return;
    }
    if ([...state.relationships.values()].some((r) => r.displayName === displayName)) {
      graphError(res, 409, 'Conflict', `A relationship named "${displayName}" already exists.`);
      return;
    }
    const customer = (body['customer'] as { tenantId?: unknown } | undefined)?.tenantId;
    if (customer !== undefined && (typeof customer !== 'string' || !GUID_PATTERN.test(customer))) {
      graphError(res, 400, 'BadRequest', 'customer.tenantId must be a tenant id (GUID).');
      return;
    }
    const now = new Date(state.now()).toISOString();
    const relationship: EmulatedRelationship = {
      id: state.newRelationshipId(),
      displayName,
      duration,
      roles: roles.map((r) => String(r.roleDefinitionId)),
      autoExtendDuration: autoExtend,
      status: 'created',
      // set by the partner: only this tenant can approve it
      ...(typeof customer === 'string' ? { customer: { tenantId: customer.toLowerCase(), displayName: '' } } : {}),
      createdDateTime: now,
      lastModifiedDateTime: now,
    };
    state.relationships.set(relationship.id, relationship);
    res.status(201).location(`${req.baseUrl}${PATH}/${relationship.id}`).json(resource(relationship));
  });

  // Graph deletes only a relationship still `created`, and only with its current ETag.
  router.delete(`${PATH}/:id`, (req, res) => {
    const r = state.relationships.get(param(req, 'id'));
    if (!r) {
      graphError(res, 404, 'NotFound', 'No such relationship.');
      return;
    }
    if (req.get('if-match') !== etagOf(r)) {
      graphError(res, 412, 'PreconditionFailed', 'If-Match must carry the relationship ETag.');
      return;
    }
    if (r.status !== 'created') {
      graphError(res, 400, 'BadRequest', `A relationship can only be deleted while created; this one is ${r.status}.`);
      return;
    }
    state.relationships.delete(r.id);
    res.status(204).end();
  });

  router.post(`${PATH}/:id/requests`, ...rawBody, jsonObjectBody, idempotent(state), (req, res) => {
    const r = state.relationships.get(param(req, 'id'));
    if (!r) {
      graphError(res, 404, 'NotFound', 'No such relationship.');
      return;
    }
    const action = (req.body as Record<string, unknown>)['action'];
    const now = new Date(state.now()).toISOString();
    if (action === 'lockForApproval' && r.status === 'created') {
      // Graph answers at once with a request that is only `created`; the relationship follows later.
      const request = {
        id: randomUUID(),
        action,
        status: 'created' as const,
        createdDateTime: now,
        lastModifiedDateTime: now,
      };
      state.relationshipRequests.set(request.id, request);
      state.later(state.realism.lockDelayMs, () => {
        const at = new Date(state.now()).toISOString();
        Object.assign(request, { status: 'succeeded', lastModifiedDateTime: at });
        if (r.status === 'created') Object.assign(r, { status: 'approvalPending', lastModifiedDateTime: at });
      });
      res.status(201).location(`${req.baseUrl}${PATH}/${r.id}/requests/${request.id}`).json(request);
      return;
    }
    if (action === 'terminate' && r.status === 'active') {
      r.status = 'terminated';
      r.lastModifiedDateTime = now;
      send(
        [`granular-admin-relationship-terminated`],
        `${GDAP_RESOURCE}${r.id}`,
        'GranularAdminRelationship',
        r.customer?.tenantId,
      );
      deleteAssignmentsOf(state, r.id, notifyAssignment);
      res
        .status(201)
        .json({ id: randomUUID(), action, status: 'succeeded', createdDateTime: now, lastModifiedDateTime: now });
      return;
    }
    graphError(res, 400, 'BadRequest', `Cannot ${String(action)} a relationship that is ${r.status}.`);
  });

  router.get(`${PATH}/:id/requests/:requestId`, (req, res) => {
    const request = state.relationships.has(param(req, 'id'))
      ? state.relationshipRequests.get(param(req, 'requestId'))
      : undefined;
    if (!request) graphError(res, 404, 'NotFound', 'No such request.');
    else res.json(request);
  });

  accessAssignmentRoutes(router, PATH, state, notifyAssignment, idempotent(state), graphError);

  router.use((_req, res) => {
    graphError(res, 404, 'NotFound', 'The emulator does not implement this route.');
  });
  return router;
}

/** Replay the first answer to a POST retried with the same MS-RequestId. */
function idempotent(state: EmulatorState) {
  return (req: Request, res: Response, next: () => void): void => {
    const id = req.get('ms-requestid');
    const key = id ? `${req.path}|${id}` : undefined;
    const earlier = key ? state.answered.get(key) : undefined;
    if (earlier) {
      res.status(earlier.status).json(earlier.body);
      return;
    }
    if (key) {
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        if (res.statusCode < 500 && res.statusCode !== 429) state.answered.set(key, { status: res.statusCode, body });
        return json(body);
      };
    }
    next();
  };
}

/** A weak ETag that changes with every change of the relationship. */
export function etagOf(r: EmulatedRelationship): string {
  return `W/"${Buffer.from(`${r.id}|${r.status}|${r.lastModifiedDateTime}`).toString('base64')}"`;
}

export function resource(r: EmulatedRelationship): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminRelationship',
    '@odata.etag': etagOf(r),
    id: r.id,
    displayName: r.displayName,
    duration: r.duration,
    autoExtendDuration: r.autoExtendDuration ?? 'PT0S',
    customer: r.customer ?? null,
    accessDetails: { unifiedRoles: r.roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
    status: r.status,
    createdDateTime: r.createdDateTime,
    lastModifiedDateTime: r.lastModifiedDateTime,
    activatedDateTime: r.activatedDateTime ?? null,
    endDateTime: r.endDateTime ?? null,
  };
}
