/**
 * The reseller relationship link in the format Partner Center's `GET /v1/customers/relationshiprequests` returns
 * today (docs/partner-center.md#the-reseller-link). It names the partner, never the customer. The API's answer is
 * authoritative; this shape is the fallback when Partner Center does not answer, and sizes the draft template check.
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
