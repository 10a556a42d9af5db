import { strict as assert } from 'node:assert';
import type { RelationshipRequest } from '../../../src/core/model.js';
import { composeDraft } from '../../../src/core/requests/draft.js';
import { draftWithGdapLink, draftWithoutGdapLink, withoutGdapLink } from '../../../src/core/requests/gdap-link.js';
import { DRAFT_TEMPLATE, T0 } from '../../support/core-harness.js';

const RESELLER = 'https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=p#/x';
const OLD = 'https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/old-1';
const NEW = 'https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/new-2';
const settings = { draftTemplate: DRAFT_TEMPLATE, partnerName: 'Northwind Partners' };

/** `gdapLink` null: a request without one */
function request(body: string | undefined, gdapLink: string | null = OLD): RelationshipRequest {
  const values = {
    customerName: 'Contoso Ltd',
    contactEmail: 'admin@contoso.com',
    domain: 'contoso.com',
    partnerName: settings.partnerName,
    requesterName: 'Ana Lopez',
    resellerLink: RESELLER,
  };
  const template = composeDraft(DRAFT_TEMPLATE, { ...values, gdapLink: gdapLink ?? '' });
  return {
    id: 'RR-7K2Q9',
    scope: 'slack:T1',
    customerName: values.customerName,
    customerKey: 'contoso',
    contactEmail: values.contactEmail,
    domain: values.domain,
    requester: { platform: 'slack', id: 'U1', name: values.requesterName },
    conversationId: 'C1',
    draft: { subject: template.subject, body: body ?? template.body },
    resellerLink: RESELLER,
    gdapLink: gdapLink ?? undefined,
    status: 'accepted',
    adminAccess: 'revoked',
    timeline: [],
    createdAt: T0.toISOString(),
    updatedAt: T0.toISOString(),
    version: 7,
  };
}

describe('the GDAP link in the draft (docs/behaviour.md#drafts)', () => {
  it('an untouched draft is the template again, without its GDAP block; a new link fills it back in', () => {
    const untouched = request(undefined);
    const without = draftWithoutGdapLink(settings, untouched);
    assert.ok(!without.body.includes(OLD));
    assert.ok(!without.body.includes('granular delegated admin privileges'), without.body);
    assert.ok(without.body.includes(RESELLER));
    const again = draftWithGdapLink(settings, { ...untouched, draft: without, gdapLink: undefined }, NEW);
    assert.deepEqual(again, request(undefined, NEW).draft, 'exactly the template with the new link');
  });

  it('an edited draft keeps its text; the link, the line leading to it and a lead paragraph go', () => {
    const edited = request(
      `Hi Contoso,\n\nPlease accept: ${RESELLER}\n\nAnd approve our admin access here:\n\n${OLD}\n\nThanks, Ana`,
    );
    assert.equal(
      draftWithoutGdapLink(settings, edited).body,
      `Hi Contoso,\n\nPlease accept: ${RESELLER}\n\nThanks, Ana`,
    );
    const added = request(
      `Hi Contoso,\n\n${RESELLER}\n\nTo approve admin access (GDAP) for us, a Global Administrator can open:\n${OLD}`,
    );
    assert.equal(draftWithoutGdapLink(settings, added).body, `Hi Contoso,\n\n${RESELLER}`);
    const inline = request(`Hi,\n\n${RESELLER}\n\nAdmin rights: ${OLD} (valid 90 days)\nCall me with questions.`);
    assert.equal(draftWithoutGdapLink(settings, inline).body, `Hi,\n\n${RESELLER}\n\nCall me with questions.`);
  });

  it('a draft without the link, or a request without one, is left alone', () => {
    const noLink = request(`Hi,\n\n${RESELLER}`);
    assert.equal(draftWithoutGdapLink(settings, noLink), noLink.draft);
    assert.deepEqual(withoutGdapLink(settings, request(undefined, null)), {});
  });

  it('taking the link off marks the link as changed at the next version (an older editor is not held to it)', () => {
    const fields = withoutGdapLink(settings, request(undefined));
    assert.equal(fields.gdapLink, undefined);
    assert.ok('gdapLink' in fields);
    assert.equal(fields.linkVersions?.gdap, 8);
  });
});
