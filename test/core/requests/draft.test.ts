import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { ValidationError } from '../../../src/core/errors.js';
import {
  checkDraftEdit,
  compileDraftTemplate,
  composeDraft,
  containsLinkIntact,
  DRAFT_MAX_LENGTH,
  type DraftValues,
} from '../../../src/core/requests/draft.js';
import { DRAFT_TEMPLATE } from '../../support/core-harness.js';
import { charCount } from '../../../src/core/text.js';

const LINK =
  'https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=00000000-0000-4000-8000-00000000e001&msppId=0&DAP=false#/BillingAccounts/partner-invitation';
const GDAP = 'https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/abc-def';

const values = (overrides: Partial<DraftValues> = {}): DraftValues => ({
  customerName: 'Contoso Ltd',
  contactEmail: 'admin@contoso.com',
  domain: 'contoso.com',
  partnerName: 'Northwind Partners',
  requesterName: 'Ana Lopez',
  resellerLink: LINK,
  gdapLink: '',
  ...overrides,
});

const refusal = (fn: () => unknown): ValidationError => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ValidationError);
    return err;
  }
  assert.fail('expected a ValidationError');
};

describe('draft email (docs/behaviour.md#the-request-card)', () => {
  describe('the built-in template', () => {
    it('fills customer, partner, requester and the reseller link, with a subject', () => {
      const draft = composeDraft(DRAFT_TEMPLATE, values());
      assert.equal(draft.subject, 'Northwind Partners invites Contoso Ltd to a Microsoft reseller relationship');
      assert.ok(draft.body.startsWith('Hello,'));
      assert.ok(containsLinkIntact(draft.body, LINK));
      assert.match(draft.body, /Kind regards,\nAna Lopez\nNorthwind Partners$/);
      assert.doesNotMatch(draft.body, /GDAP|\{\{/);
      assert.doesNotMatch(draft.body, /\n{3,}/);
    });

    it('adds the GDAP paragraph and link only when there is one', () => {
      const draft = composeDraft(DRAFT_TEMPLATE, values({ gdapLink: GDAP }));
      assert.ok(containsLinkIntact(draft.body, GDAP));
      assert.match(draft.body, /granular delegated admin privileges \(GDAP\)/);
    });

    it('inserts values as text: no HTML escaping, no second expansion', () => {
      const draft = composeDraft(
        DRAFT_TEMPLATE,
        values({ customerName: 'A&B <Ltd> {{resellerLink}} ${Exit()}', requesterName: '{{#gdapLink}}x{{/gdapLink}}' }),
      );
      assert.match(draft.body, /for A&B <Ltd> \{\{resellerLink\}\} \$\{Exit\(\)\},/);
      assert.match(draft.body, /\{\{#gdapLink\}\}x\{\{\/gdapLink\}\}/);
      assert.equal(draft.body.split(LINK).length, 2, 'the link appears once: the name did not expand');
    });

    it('stays within the limit for the longest names', () => {
      const draft = composeDraft(
        DRAFT_TEMPLATE,
        values({ customerName: 'W'.repeat(100), partnerName: 'P'.repeat(100), gdapLink: GDAP }),
      );
      assert.ok(charCount(draft.body) <= DRAFT_MAX_LENGTH);
      assert.ok(draft.subject.length <= 200);
    });
  });

  describe('operator templates', () => {
    it('accepts a minimal template', () => {
      const t = compileDraftTemplate('Subject: Hi {{customerName}}\n\nPlease accept: {{resellerLink}}\n');
      assert.equal(t.usesGdapLink, false);
      assert.deepEqual(composeDraft(t, values()), { subject: 'Hi Contoso Ltd', body: `Please accept: ${LINK}` });
    });

    it('refuses templates that could not produce a valid draft, listing every problem', () => {
      const err = refusal(() =>
        compileDraftTemplate('Hello {{customer}}\n{{#resellerLink}}{{resellerLink}}{{/resellerLink}} {{> footer}}'),
      );
      assert.match(err.message, /first line must be "Subject: …"/);
      assert.match(err.message, /\{\{customer\}\} is not a known placeholder/);
      assert.match(err.message, /partials/);
      assert.match(err.message, /must contain \{\{resellerLink\}\} outside any \{\{#section\}\}/);
      assert.match(refusal(() => compileDraftTemplate('Subject: x\n{{#a}')).message, /not valid Mustache/);
    });

    it('refuses a template whose output is longer than a draft may be', () => {
      const t = compileDraftTemplate(`Subject: x\n${'y'.repeat(3000)} {{resellerLink}}`);
      assert.match(refusal(() => composeDraft(t, values())).message, /drafts may have at most 3000/);
    });
  });

  describe('saving an edited draft', () => {
    const links = { resellerLink: LINK };

    it('accepts free edits that keep the link, normalising line endings and trimming', () => {
      const saved = checkDraftEdit(
        { subject: '  Hello   there ', body: `\r\nDear Contoso,\r\nclick ${LINK}.\r\n\r\n` },
        links,
      );
      assert.deepEqual(saved, { subject: 'Hello there', body: `Dear Contoso,\nclick ${LINK}.` });
      assert.ok(checkDraftEdit({ subject: 's', body: `(${LINK})` }, links));
      assert.ok(checkDraftEdit({ subject: 's', body: `<${LINK}>` }, links));
      assert.ok(checkDraftEdit({ subject: 's', body: `Link: ${LINK}\tthanks` }, links));
    });

    it('refuses a draft without the link, saying why and which link to put back', () => {
      const err = refusal(() => checkDraftEdit({ subject: 's', body: 'Dear Contoso, please accept.' }, links));
      assert.match(err.message, /must still contain the reseller relationship link exactly/);
      assert.ok(err.message.includes(LINK));
      assert.deepEqual(Object.keys(err.problems), ['body']);
    });

    it('refuses an altered link (extended, truncated or glued to other text)', () => {
      for (const body of [
        `${LINK}x`,
        `${LINK}/more`,
        LINK.slice(0, -1),
        `x${LINK}`,
        `${LINK}.evil.com`,
        `${LINK}&DAP=true`,
      ]) {
        assert.throws(() => checkDraftEdit({ subject: 's', body }, links), ValidationError, body);
      }
    });

    it('requires the GDAP link too when the request has one', () => {
      const err = refusal(() => checkDraftEdit({ subject: 's', body: LINK }, { resellerLink: LINK, gdapLink: GDAP }));
      assert.match(err.message, /GDAP\) approval link/);
      assert.ok(checkDraftEdit({ subject: 's', body: `${LINK}\n${GDAP}` }, { resellerLink: LINK, gdapLink: GDAP }));
    });

    it('enforces 3,000 characters and says by how much it is over', () => {
      const filler = (n: number) => 'a'.repeat(n - LINK.length - 1);
      assert.ok(checkDraftEdit({ subject: 's', body: `${filler(3000)} ${LINK}` }, links));
      const err = refusal(() => checkDraftEdit({ subject: 's', body: `${filler(3412)} ${LINK}` }, links));
      assert.equal(err.message, 'The draft has 3,412 characters; at most 3,000 are allowed. Shorten it by 412.');
    });

    it('refuses empty drafts, empty or long subjects, and control characters', () => {
      assert.match(refusal(() => checkDraftEdit({ subject: 's', body: ' \n ' }, links)).message, /empty/);
      assert.deepEqual(Object.keys(refusal(() => checkDraftEdit({ subject: ' ', body: LINK }, links)).problems), [
        'subject',
      ]);
      assert.match(
        refusal(() => checkDraftEdit({ subject: 'x'.repeat(201), body: LINK }, links)).message,
        /at most 200/,
      );
      assert.match(
        refusal(() => checkDraftEdit({ subject: 's', body: `${LINK}\u0007` }, links)).message,
        /control characters/,
      );
    });

    it('for any text around the intact link: accepted when short enough; any one character removed from the link: refused', () => {
      const text = fc.string({ maxLength: 200 }).filter((t) => !t.includes('http'));
      fc.assert(
        fc.property(text, text, fc.nat({ max: LINK.length - 1 }), (before, after, cut) => {
          const body = `${before} ${LINK} ${after}`;
          const ok = (() => {
            try {
              checkDraftEdit({ subject: 'Subject', body }, links);
              return true;
            } catch {
              return false;
            }
          })();
          // Only control characters in the generated text may refuse an intact link.
          assert.equal(ok, !/[^\P{Cc}\n\t\r]/u.test(body));
          const broken = `${before} ${LINK.slice(0, cut)}${LINK.slice(cut + 1)} ${after}`;
          assert.throws(() => checkDraftEdit({ subject: 'Subject', body: broken }, links), ValidationError);
        }),
      );
    });
  });
});
