/**
 * The control endpoints (docs/partner-center.md#the-emulator): act as the customer (accept, approve, revoke, let expire, remove) and turn the test
 * knobs (429 storms, webhooks off, BOM). Each change fires the webhook Partner Center would fire.
 */
import { randomUUID } from 'node:crypto';
import { param } from './params.js';
import { Router, type Response } from 'express';
import { checkCustomerName, checkDomain } from '../core/requests/validation.js';
import { jsonObjectBody, rawBody } from '../http/body.js';
import { sendError } from '../http/errors.js';
import type { EmulatedRelationship, EmulatorState } from './state.js';
import type { WebhookSender } from './webhooks.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GDAP_RESOURCE = 'https://partner.microsoft.com/granularAdminRelationships/';

export function controlRoutes(state: EmulatorState, webhooks: WebhookSender, partnerCenterBase: () => string): Router {
  const router = Router();
  const json = [...rawBody, jsonObjectBody];

  router.get('/state', (_req, res) => {
    res.json(state.snapshot());
  });

  router.post('/customers', ...json, (req, res) => {
    const body = req.body as Record<string, unknown>;
    const name = checkCustomerName(typeof body['companyName'] === 'string' ? body['companyName'] : '');
    const domain = checkDomain(typeof body['domain'] === 'string' ? body['domain'] : '');
    const tenantId = body['tenantId'] === undefined ? randomUUID() : body['tenantId'];
    if (!name.ok || !domain.ok || typeof tenantId !== 'string' || !GUID.test(tenantId)) {
      const problem = !name.ok
        ? `companyName: ${name.problem}`
        : !domain.ok
          ? `domain: ${domain.problem}`
          : 'tenantId must be a GUID.';
      sendError(res, 400, 'bad_customer', problem);
      return;
    }
    const id = tenantId.toLowerCase();
    const existing = state.customers.get(id);
    if (existing?.relationshipToPartner === 'reseller') {
      sendError(res, 409, 'already_customer', `Tenant ${id} is already a customer.`);
      return;
    }
    const customer = {
      tenantId: id,
      companyName: name.value,
      domain: domain.value,
      customDomains: [],
      relationshipToPartner: 'reseller' as const,
    };
    state.customers.set(id, customer);
    webhooks.send(
      'reseller-relationship-accepted-by-customer',
      `${partnerCenterBase()}/v1/customers/${id}`,
      'Customer',
    );
    res.status(201).json(customer);
  });

  router.post('/customers/:tenantId/remove-relationship', (req, res) => {
    const customer = state.customers.get(param(req, 'tenantId').toLowerCase());
    if (!customer || customer.relationshipToPartner === 'none') {
      sendError(res, 404, 'not_found', 'No such customer.');
      return;
    }
    // Partner Center documents no webhook for this; the reconciler notices the customer is gone.
    customer.relationshipToPartner = 'none';
    res.json(customer);
  });

  const gdap = (
    path: string,
    from: readonly string[],
    apply: (r: EmulatedRelationship, body: Record<string, unknown>) => string[],
  ) => {
    router.post(`/gdap/:id/${path}`, ...rawBody, (req, res) => {
      const r = state.relationships.get(param(req, 'id'));
      if (!r) {
        sendError(res, 404, 'not_found', 'No such GDAP relationship.');
        return;
      }
      if (!from.includes(r.status)) {
        sendError(res, 409, 'wrong_state', `The relationship is ${r.status}; it cannot be ${path}d from there.`);
        return;
      }
      const body = parseOptional(req.rawBody, res);
      if (!body) return;
      const events = apply(r, body);
      r.lastModifiedDateTime = new Date().toISOString();
      for (const event of events) webhooks.send(event, `${GDAP_RESOURCE}${r.id}`, 'GranularAdminRelationship');
      res.json({ id: r.id, status: r.status });
    });
  };
  gdap('approve', ['approvalPending'], (r, body) => {
    const now = new Date();
    r.status = 'active';
    r.activatedDateTime = now.toISOString();
    r.endDateTime = new Date(now.getTime() + days(r.duration) * 86_400_000).toISOString();
    const tenantId = typeof body['tenantId'] === 'string' ? body['tenantId'].toLowerCase() : undefined;
    const customer = tenantId ? state.customers.get(tenantId) : undefined;
    if (tenantId) r.customer = { tenantId, displayName: customer?.companyName ?? '' };
    return ['granular-admin-relationship-approved', 'granular-admin-relationship-activated'];
  });
  gdap('terminate', ['active'], (r) => {
    r.status = 'terminated';
    return ['granular-admin-relationship-terminated'];
  });
  gdap('expire', ['approvalPending', 'active'], (r) => {
    r.status = 'expired';
    return ['granular-admin-relationship-expired'];
  });

  router.post('/throttle', ...json, (req, res) => {
    const body = req.body as Record<string, unknown>;
    const count = body['count'];
    const retryAfter = body['retryAfterSeconds'] ?? 1;
    if (
      !Number.isInteger(count) ||
      (count as number) < 0 ||
      !Number.isInteger(retryAfter) ||
      (retryAfter as number) < 0
    ) {
      sendError(res, 400, 'bad_throttle', 'count and retryAfterSeconds must be whole numbers ≥ 0.');
      return;
    }
    state.throttle = { remaining: count as number, retryAfterSeconds: retryAfter as number };
    res.json(state.throttle);
  });

  const toggle = (path: string, set: (enabled: boolean) => void) => {
    router.post(path, ...json, (req, res) => {
      const enabled = (req.body as Record<string, unknown>)['enabled'];
      if (typeof enabled !== 'boolean') {
        sendError(res, 400, 'bad_setting', 'enabled must be true or false.');
        return;
      }
      set(enabled);
      res.json({ enabled });
    });
  };
  toggle('/webhooks', (enabled) => (state.webhooksEnabled = enabled));
  toggle('/bom', (enabled) => (state.bom = enabled));

  router.use((_req, res) => {
    sendError(res, 404, 'not_found', 'No such emulator control endpoint.');
  });
  return router;
}

function parseOptional(raw: Buffer | undefined, res: Response): Record<string, unknown> | undefined {
  const text = (raw ?? Buffer.alloc(0)).toString('utf8').trim();
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  sendError(res, 400, 'malformed_json', 'The body must be a JSON object (or empty).');
  return undefined;
}

function days(duration: string): number {
  const d = /^P(\d+)D$/.exec(duration)?.[1];
  if (d) return Number(d);
  return Number(/^P(\d)Y$/.exec(duration)?.[1] ?? 2) * 365;
}
