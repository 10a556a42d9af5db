/**
 * The control endpoints (docs/partner-center.md#the-emulator): act as the customer (accept, approve, revoke, let expire, remove) and turn the test
 * knobs (429 storms, webhooks off, BOM, access assignments refused). Each change fires the webhook Partner Center would fire.
 */
import { randomUUID } from 'node:crypto';
import { param } from './params.js';
import { Router, type Response } from 'express';
import { checkCustomerName, checkDomain } from '../core/requests/validation.js';
import { jsonObjectBody, rawBody } from '../http/body.js';
import { sendError } from '../http/errors.js';
import type { Checked } from '../core/requests/validation.js';
import {
  defaultDomainFor,
  type EmulatedCustomer,
  type EmulatedRelationship,
  type EmulatorState,
  type Realism,
} from './state.js';
import type { WebhookSender } from './webhooks.js';
import { assignmentNotifier, deleteAssignmentsOf } from './access-assignments.js';
import { GDAP_RESOURCE } from './graph-api.js';

const ONMICROSOFT = /^[a-z0-9]{1,27}\.onmicrosoft\.com$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function controlRoutes(state: EmulatorState, webhooks: WebhookSender, partnerCenterBase: () => string): Router {
  const router = Router();
  const json = [...rawBody, jsonObjectBody];
  const notifyAssignment = assignmentNotifier((events, uri, name, tenantId) => {
    webhooks.send(events, uri, name, tenantId);
  });

  router.get('/state', (_req, res) => {
    res.json(state.snapshot());
  });

  router.post('/customers', ...json, (req, res) => {
    const body = req.body as Record<string, unknown>;
    const tenant = readTenant(body, state);
    if (!tenant.ok) {
      sendError(res, 400, 'bad_customer', tenant.problem);
      return;
    }
    const { tenantId: id, companyName, defaultDomain, customDomain } = tenant.value;
    const existing = state.customers.get(id);
    if (existing?.relationshipToPartner === 'reseller') {
      sendError(res, 409, 'already_customer', `Tenant ${id} is already a customer.`);
      return;
    }
    const customer: EmulatedCustomer = {
      tenantId: id,
      // a tenant that approved GDAP first keeps the name and domain it registered with
      companyName: existing?.companyName ?? companyName,
      defaultDomain: existing?.defaultDomain ?? defaultDomain,
      customDomains: [...new Set([...(existing?.customDomains ?? []), ...(customDomain ? [customDomain] : [])])],
      relationshipToPartner: 'reseller',
      visibleFrom: state.now() + state.realism.customerHiddenMs,
    };
    state.customers.set(id, customer);
    webhooks.send(
      ['reseller-relationship-accepted-by-customer'],
      `${partnerCenterBase()}/v1/customers/${id}`,
      'Customer',
      id,
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
    apply: (r: EmulatedRelationship, body: Record<string, unknown>) => Checked<string[]>,
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
      if (!events.ok) {
        sendError(res, 400, 'bad_request', events.problem);
        return;
      }
      r.lastModifiedDateTime = new Date(state.now()).toISOString();
      webhooks.send(events.value, `${GDAP_RESOURCE}${r.id}`, 'GranularAdminRelationship', r.customer?.tenantId);
      if (r.status === 'terminated' || r.status === 'expired') deleteAssignmentsOf(state, r.id, notifyAssignment);
      res.json({ id: r.id, status: r.status, customer: r.customer ?? null });
    });
  };
  gdap('approve', ['approvalPending'], (r, body) => {
    // a relationship the partner made for one customer: that tenant approves it, no other
    const preset = r.customer?.tenantId;
    if (preset && typeof body['tenantId'] === 'string' && body['tenantId'].toLowerCase() !== preset) {
      return { ok: false, problem: `This relationship is for tenant ${preset}; another tenant cannot approve it.` };
    }
    const tenant = approvingTenant(
      preset && body['tenantId'] === undefined ? { ...body, tenantId: preset } : body,
      state,
    );
    if (!tenant.ok) return tenant;
    const now = new Date(state.now());
    r.status = 'active';
    r.activatedDateTime = now.toISOString();
    r.endDateTime = new Date(now.getTime() + days(r.duration) * 86_400_000).toISOString();
    r.customer = { tenantId: tenant.value.tenantId, displayName: tenant.value.companyName };
    return { ok: true, value: ['granular-admin-relationship-approved', 'granular-admin-relationship-activated'] };
  });
  // The customer (or partner) turns auto-extend on or off later; no webhook is documented for it.
  gdap('auto-extend', ['active'], (r, body) => {
    if (typeof body['enabled'] !== 'boolean') return { ok: false, problem: 'enabled must be true or false.' };
    r.autoExtendDuration = body['enabled'] ? 'P180D' : 'PT0S';
    return { ok: true, value: [] };
  });
  gdap('terminate', ['active'], (r) => {
    r.status = 'terminated';
    return { ok: true, value: ['granular-admin-relationship-terminated'] };
  });
  gdap('expire', ['approvalPending', 'active'], (r) => {
    r.status = 'expired';
    return { ok: true, value: ['granular-admin-relationship-expired'] };
  });

  // Microsoft removes a relationship nobody approved within 90 days; no webhook is documented for that either.
  router.post('/gdap/:id/cleanup', (req, res) => {
    const r = state.relationships.get(param(req, 'id'));
    if (!r || r.status !== 'approvalPending') {
      sendError(
        res,
        r ? 409 : 404,
        r ? 'wrong_state' : 'not_found',
        'Only a relationship waiting for approval is cleaned up.',
      );
      return;
    }
    state.relationships.delete(r.id);
    res.json({ id: r.id, removed: true });
  });

  router.post('/access-assignments', ...json, (req, res) => {
    const body = req.body as Record<string, unknown>;
    const refuse = body['refuseNext'];
    if (!Number.isInteger(refuse) || (refuse as number) < 0) {
      sendError(res, 400, 'bad_setting', 'refuseNext must be a whole number ≥ 0.');
      return;
    }
    state.assignmentFaults = { refuse: refuse as number };
    res.json(state.assignmentFaults);
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
  router.post('/webhooks', ...json, (req, res) => {
    const body = req.body as Record<string, unknown>;
    const enabled = body['enabled'];
    if (enabled !== undefined && typeof enabled !== 'boolean') {
      sendError(res, 400, 'bad_setting', 'enabled must be true or false.');
      return;
    }
    const knobs = readKnobs(body, WEBHOOK_KNOBS);
    if (!knobs.ok || (enabled === undefined && Object.keys(knobs.value).length === 0)) {
      sendError(
        res,
        400,
        'bad_setting',
        knobs.ok ? `Give enabled or one of ${Object.keys(WEBHOOK_KNOBS).join(', ')}.` : knobs.problem,
      );
      return;
    }
    if (enabled !== undefined) state.webhooksEnabled = enabled;
    Object.assign(state.realism, knobs.value);
    res.json({ enabled: state.webhooksEnabled, ...pick(state.realism, Object.values(WEBHOOK_KNOBS)) });
  });
  router.post('/realism', ...json, (req, res) => {
    const knobs = readKnobs(req.body as Record<string, unknown>, REALISM_KNOBS);
    if (!knobs.ok || Object.keys(knobs.value).length === 0) {
      sendError(
        res,
        400,
        'bad_setting',
        knobs.ok ? `Give one of ${Object.keys(REALISM_KNOBS).join(', ')}.` : knobs.problem,
      );
      return;
    }
    Object.assign(state.realism, knobs.value);
    res.json(state.realism);
  });
  toggle('/bom', (enabled) => (state.bom = enabled));

  router.use((_req, res) => {
    sendError(res, 404, 'not_found', 'No such emulator control endpoint.');
  });
  return router;
}

/** Body field → realism setting, for `POST /webhooks`: deliver each webhook twice, late, or out of order. */
const WEBHOOK_KNOBS = {
  copies: 'webhookCopies',
  delayMs: 'webhookDelayMs',
  outOfOrder: 'webhookOutOfOrder',
} as const satisfies Record<string, keyof Realism>;
/** Every realism setting by its own name, for `POST /realism`. */
const REALISM_KNOBS = {
  customerHiddenMs: 'customerHiddenMs',
  lockDelayMs: 'lockDelayMs',
  webhookCopies: 'webhookCopies',
  webhookDelayMs: 'webhookDelayMs',
  webhookOutOfOrder: 'webhookOutOfOrder',
  assignmentDelayMs: 'assignmentDelayMs',
} as const satisfies Record<string, keyof Realism>;
const MAX_KNOB = { webhookCopies: 5, default: 600_000 };

/** The realism settings a body names, checked: whole numbers in range, or true/false for `webhookOutOfOrder`. */
function readKnobs(
  body: Record<string, unknown>,
  names: Readonly<Record<string, keyof Realism>>,
): Checked<Partial<Realism>> {
  const out: Partial<Realism> = {};
  for (const [field, setting] of Object.entries(names)) {
    const value = body[field];
    if (value === undefined) continue;
    if (setting === 'webhookOutOfOrder') {
      if (typeof value !== 'boolean') return { ok: false, problem: `${field} must be true or false.` };
      out.webhookOutOfOrder = value;
      continue;
    }
    const min = setting === 'webhookCopies' ? 1 : 0;
    const max = setting === 'webhookCopies' ? MAX_KNOB.webhookCopies : MAX_KNOB.default;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return { ok: false, problem: `${field} must be a whole number from ${min} to ${max}.` };
    }
    out[setting] = value;
  }
  return { ok: true, value: out };
}

function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, from[k]])) as Pick<T, K>;
}

interface TenantFields {
  readonly tenantId: string;
  readonly companyName: string;
  readonly defaultDomain: string;
  readonly customDomain: string | undefined;
}

/**
 * `{companyName, tenantId?, defaultDomain?, domain?}`: the registered name, the tenant, its `*.onmicrosoft.com`
 * domain (derived from the name when absent) and a custom domain the customer owns (hidden from the partner).
 */
function readTenant(body: Record<string, unknown>, state: EmulatorState): Checked<TenantFields> {
  const tenantId = body['tenantId'] === undefined ? randomUUID() : body['tenantId'];
  if (typeof tenantId !== 'string' || !GUID.test(tenantId)) return { ok: false, problem: 'tenantId must be a GUID.' };
  const known = state.customers.get(tenantId.toLowerCase());
  const name = checkCustomerName(
    typeof body['companyName'] === 'string' ? body['companyName'] : (known?.companyName ?? ''),
  );
  if (!name.ok) return { ok: false, problem: `companyName: ${name.problem}` };
  let customDomain: string | undefined;
  if (body['domain'] !== undefined) {
    const domain = checkDomain(typeof body['domain'] === 'string' ? body['domain'] : '');
    if (!domain.ok) return { ok: false, problem: `domain: ${domain.problem}` };
    customDomain = domain.value;
  }
  let defaultDomain = defaultDomainFor(name.value);
  if (body['defaultDomain'] !== undefined) {
    const given = typeof body['defaultDomain'] === 'string' ? body['defaultDomain'].toLowerCase() : '';
    if (!ONMICROSOFT.test(given)) {
      return { ok: false, problem: 'defaultDomain must be <name>.onmicrosoft.com (letters and digits).' };
    }
    defaultDomain = given;
  }
  return {
    ok: true,
    value: { tenantId: tenantId.toLowerCase(), companyName: name.value, defaultDomain, customDomain },
  };
}

/**
 * `{tenantId?, companyName?}` on a GDAP approval: the tenant that approves — an existing customer, or a new tenant
 * that has not accepted the reseller relationship (yet). With neither, a new tenant.
 */
function approvingTenant(body: Record<string, unknown>, state: EmulatorState): Checked<TenantFields> {
  const tenantId = typeof body['tenantId'] === 'string' ? body['tenantId'].toLowerCase() : undefined;
  const known = tenantId ? state.customers.get(tenantId) : undefined;
  if (known) return { ok: true, value: { ...known, customDomain: undefined } };
  const tenant = readTenant({ companyName: 'Customer tenant', ...body }, state);
  if (!tenant.ok) return tenant;
  state.customers.set(tenant.value.tenantId, {
    tenantId: tenant.value.tenantId,
    companyName: tenant.value.companyName,
    defaultDomain: tenant.value.defaultDomain,
    customDomains: tenant.value.customDomain ? [tenant.value.customDomain] : [],
    relationshipToPartner: 'none',
    visibleFrom: state.now(),
  });
  return tenant;
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
