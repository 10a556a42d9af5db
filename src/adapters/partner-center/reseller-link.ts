import type { ResellerLinks } from '../../core/ports.js';

/**
 * The reseller relationship link in the format Partner Center's `GET /v1/customers/relationshiprequests` returns
 * today (research/partner-center.md §2.1–2.2). It names the partner, never the customer. Used until the live client
 * fetches the link from the API (the API's answer is authoritative; this is its documented shape).
 */
export function documentedResellerLink(partnerTenantId: string, msppId: string): string {
  const query = new URLSearchParams({
    invType: 'ResellerRelationship',
    partnerId: partnerTenantId,
    msppId,
    DAP: 'false',
  });
  return `https://admin.microsoft.com/Adminportal/Home?${query.toString()}#/BillingAccounts/partner-invitation`;
}

export function documentedLinks(partnerTenantId: string, msppId: string): ResellerLinks {
  const link = documentedResellerLink(partnerTenantId, msppId);
  return { resellerLink: () => Promise.resolve(link) };
}
