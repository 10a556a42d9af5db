import { strict as assert } from 'node:assert';
import { documentedResellerLink } from '../../src/adapters/partner-center/reseller-link.js';

describe('reseller relationship link (docs/partner-center.md#the-reseller-link)', () => {
  it('has the current documented format: partner tenant, MSPP id, no DAP, invitation fragment', () => {
    const link = documentedResellerLink('3b33e682-00c3-41ee-9dd2-a548adf56438', '0');
    assert.equal(
      link,
      'https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=3b33e682-00c3-41ee-9dd2-a548adf56438&msppId=0&DAP=false#/BillingAccounts/partner-invitation',
    );
    const url = new URL(documentedResellerLink('3b33e682-00c3-41ee-9dd2-a548adf56438', '1234567'));
    assert.equal(url.searchParams.get('msppId'), '1234567');
    assert.equal(url.hash, '#/BillingAccounts/partner-invitation');
  });
});
