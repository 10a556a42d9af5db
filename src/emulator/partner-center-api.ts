/**
 * The emulator's Partner Center REST surface (docs/partner-center.md#the-emulator): the relationship request link (App+User
 * only), customers with `size` paging and `MS-ContinuationToken`, customer by id, the documented error bodies, 429
 * with Retry-After on demand, and `MS-RequestId` / `MS-CorrelationId` echoed.
 */
import { param } from './params.js';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { EMULATOR_TOKENS } from '../adapters/partner-center/tokens.js';
import type { EmulatedCustomer, EmulatorState } from './state.js';

export const MAX_PAGE_SIZE = 500;

export function partnerCenterError(res: Response, status: number, code: number, description: string): void {
  res.status(status).json({ code, description, data: [], source: 'PartnerFD' });
}

/** Shared by both APIs: count the call, inject 429s, check the bearer token, echo the tracing headers. */
export function gate(state: EmulatorState, service: 'pc' | 'graph') {
  return (req: Request, res: Response, next: NextFunction): void => {
    state.calls++;
    for (const name of ['ms-requestid', 'ms-correlationid']) {
      const value = req.get(name);
      if (value) res.set(name, value);
    }
    if (state.throttle.remaining > 0) {
      state.throttle.remaining--;
      state.throttled++;
      const seconds = state.throttle.retryAfterSeconds;
      res.set('Retry-After', String(seconds));
      res.status(429).json({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${seconds} seconds.` });
      return;
    }
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (token !== EMULATOR_TOKENS.app && token !== EMULATOR_TOKENS.user) {
      if (service === 'pc') partnerCenterError(res, 401, 800001, 'The partner token is missing or invalid.');
      else
        res
          .status(401)
          .json({ error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty or invalid.' } });
      return;
    }
    next();
  };
}

export function partnerCenterApi(state: EmulatorState, partnerTenantId: string, msppId: string): Router {
  const router = Router();
  router.use(gate(state, 'pc'));
  // Some real answers start with a byte-order mark; the emulator can too.
  router.use((_req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (!state.bom) return json(body);
      res.type('application/json');
      return res.send(`\uFEFF${JSON.stringify(body)}`);
    };
    next();
  });

  router.get('/v1/customers/relationshiprequests', (req, res) => {
    if (req.get('authorization') !== `Bearer ${EMULATOR_TOKENS.user}`) {
      partnerCenterError(res, 401, 800001, 'This operation needs an App+User token.');
      return;
    }
    const query = new URLSearchParams({
      invType: 'ResellerRelationship',
      partnerId: partnerTenantId,
      msppId,
      DAP: 'false',
    });
    res.json({
      url: `https://admin.microsoft.com/Adminportal/Home?${query.toString()}#/BillingAccounts/partner-invitation`,
      attributes: { objectType: 'RelationshipRequest' },
    });
  });

  router.get('/v1/customers', (req, res) => {
    const size = Number(req.query['size'] ?? 40);
    if (!Number.isInteger(size) || size < 1) {
      partnerCenterError(res, 400, 800002, 'size must be a positive whole number.');
      return;
    }
    const pageSize = Math.min(size, MAX_PAGE_SIZE);
    const continuation = req.get('ms-continuationtoken');
    let offset = 0;
    if (req.query['seekOperation'] === 'Next') {
      offset = continuation ? Number(Buffer.from(continuation, 'base64url').toString('utf8')) : NaN;
      if (!Number.isInteger(offset) || offset < 0) {
        partnerCenterError(res, 400, 800002, 'The continuation token is missing or invalid.');
        return;
      }
    }
    const all = [...state.customers.values()].filter((c) => c.relationshipToPartner !== 'none');
    const items = all.slice(offset, offset + pageSize).map((c) => customerResource(c, false));
    const links: Record<string, unknown> = {
      self: { uri: `/v1/customers?size=${pageSize}`, method: 'GET', headers: [] },
    };
    if (offset + pageSize < all.length) {
      links['next'] = {
        // Partner Center's next link already carries /v1 (docs/partner-center.md#customers)
        uri: `/v1/customers?size=${pageSize}&seekOperation=Next`,
        method: 'GET',
        headers: [{ key: 'MS-ContinuationToken', value: Buffer.from(String(offset + pageSize)).toString('base64url') }],
      };
    }
    res.json({ totalCount: items.length, items, links, attributes: { objectType: 'Collection' } });
  });

  router.get('/v1/customers/:tenantId', (req, res) => {
    const customer = state.customers.get(param(req, 'tenantId').toLowerCase());
    // a customer who accepted a moment ago is not there yet by id (docs/partner-center.md#customers)
    if (!customer || customer.relationshipToPartner === 'none' || state.now() < customer.visibleFrom) {
      partnerCenterError(res, 404, 60003, 'Tenant not found.');
      return;
    }
    res.json(customerResource(customer, true));
  });

  router.use((_req, res) => {
    partnerCenterError(res, 404, 800002, 'The emulator does not implement this route.');
  });
  return router;
}

/**
 * The Customer resource as a partner without DAP sees it: the registered name and the default `*.onmicrosoft.com`
 * domain, no custom domains; `allowDelegatedAccess` only by id, as the real list leaves it out
 * (docs/partner-center.md#customers).
 */
function customerResource(c: EmulatedCustomer, byId: boolean): Record<string, unknown> {
  return {
    id: c.tenantId,
    commerceId: c.tenantId,
    companyProfile: {
      tenantId: c.tenantId,
      domain: c.defaultDomain,
      companyName: c.companyName,
      attributes: { objectType: 'CustomerCompanyProfile' },
    },
    relationshipToPartner: c.relationshipToPartner,
    ...(byId ? { allowDelegatedAccess: false } : {}),
    attributes: { objectType: 'Customer' },
  };
}
