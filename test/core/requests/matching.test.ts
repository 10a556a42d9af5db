import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { matchCustomer, normaliseCompanyName, type MatchCandidate } from '../../../src/core/requests/matching.js';

const candidate = (id: string, overrides: Partial<MatchCandidate> = {}): MatchCandidate => ({
  id,
  customerName: 'Contoso Ltd',
  contactEmail: 'admin@contoso.com',
  domain: 'contoso.com',
  createdAt: `2026-11-0${id.slice(-1)}T10:00:00.000Z`,
  ...overrides,
});

describe('customer matching (docs/behaviour.md#requests-and-their-states)', () => {
  it('matches by tenant id first, whatever the names say', () => {
    const a = candidate('RR-00001', { customerTenantId: 'AAAA-1', customerName: 'Something Else', domain: 'else.com' });
    const b = candidate('RR-00002');
    const result = matchCustomer({ tenantId: 'aaaa-1', companyName: 'Contoso', domains: ['contoso.com'] }, [a, b]);
    assert.deepEqual(result, { kind: 'matched', by: 'tenant', request: a });
  });

  it('then by domain: the request domain or the contact email domain against the customer domains', () => {
    const byDomain = candidate('RR-00001', {
      customerName: 'Totally Different',
      domain: 'fabrikam.com',
      contactEmail: 'x@fabrikam.com',
    });
    const byEmail = candidate('RR-00002', {
      customerName: 'Other',
      domain: 'other.example',
      contactEmail: 'it@northwind.io',
    });
    const others = [
      byDomain,
      byEmail,
      candidate('RR-00003', { domain: 'x.com', contactEmail: 'a@x.com', customerName: 'X' }),
    ];
    assert.deepEqual(
      matchCustomer({ companyName: 'Fabrikam, Inc.', domains: ['fabrikam.onmicrosoft.com', 'FABRIKAM.com'] }, others),
      { kind: 'matched', by: 'domain', request: byDomain },
    );
    assert.deepEqual(matchCustomer({ companyName: 'NW', domains: ['northwind.io'] }, others), {
      kind: 'matched',
      by: 'domain',
      request: byEmail,
    });
  });

  it('counts a subdomain as the same customer, but not a look-alike domain', () => {
    const sub = candidate('RR-00001', {
      domain: 'eu.contoso.com',
      contactEmail: 'a@eu.contoso.com',
      customerName: 'C EU',
    });
    assert.equal(matchCustomer({ companyName: 'Q', domains: ['contoso.com'] }, [sub]).kind, 'matched');
    const lookalike = candidate('RR-00002', {
      domain: 'notcontoso.com',
      contactEmail: 'a@notcontoso.com',
      customerName: 'N',
    });
    assert.equal(matchCustomer({ companyName: 'Q', domains: ['contoso.com'] }, [lookalike]).kind, 'unmatched');
  });

  it('then by normalised company name', () => {
    const r = candidate('RR-00001', {
      customerName: 'Société Générale S.A.',
      domain: 'sg.example',
      contactEmail: 'a@sg.example',
    });
    assert.deepEqual(matchCustomer({ companyName: 'SOCIETE GENERALE', domains: ['socgen.onmicrosoft.com'] }, [r]), {
      kind: 'matched',
      by: 'name',
      request: r,
    });
  });

  it('reports ambiguity with every candidate of the deciding tier, newest first', () => {
    const older = candidate('RR-00001');
    const newer = candidate('RR-00002');
    assert.deepEqual(matchCustomer({ companyName: 'Contoso', domains: ['contoso.com'] }, [older, newer]), {
      kind: 'ambiguous',
      by: 'domain',
      candidates: [newer, older],
    });
  });

  it('reports unmatched, suggesting open requests that share a name word or domain label', () => {
    const similar = candidate('RR-00001', {
      customerName: 'Contoso Pharma',
      domain: 'contosopharma.com',
      contactEmail: 'a@contosopharma.com',
    });
    const unrelated = candidate('RR-00002', {
      customerName: 'Fabrikam',
      domain: 'fabrikam.com',
      contactEmail: 'a@fabrikam.com',
    });
    assert.deepEqual(
      matchCustomer({ companyName: 'Contoso Holdings', domains: ['contosoh.onmicrosoft.com'] }, [similar, unrelated]),
      {
        kind: 'unmatched',
        candidates: [similar],
      },
    );
    assert.deepEqual(matchCustomer({ companyName: 'Nobody', domains: [] }, []), { kind: 'unmatched', candidates: [] });
  });

  describe('normalised company names', () => {
    it('ignores case, accents, punctuation, "the" and legal forms', () => {
      for (const name of [
        'Contoso',
        'contoso ltd',
        'Contoso, Ltd.',
        'CONTOSO LIMITED',
        'The Contoso Co.',
        'Contoso GmbH & Co. KG',
      ]) {
        assert.equal(normaliseCompanyName(name), name.includes('&') ? 'contoso gmbh and' : 'contoso', name);
      }
      assert.equal(normaliseCompanyName('Ltd'), 'ltd', 'a name that is only a legal form stays');
      assert.equal(normaliseCompanyName('Müller & Söhne AG'), 'muller and sohne');
      assert.equal(normaliseCompanyName('Fabrikam L.L.C.'), 'fabrikam');
      assert.equal(normaliseCompanyName('Tailspin B.V'), 'tailspin');
      assert.equal(normaliseCompanyName('A.B. Datum'), 'ab datum');
    });

    it('is idempotent and insensitive to case and a trailing legal form, for any name', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 60 }), (name) => {
          const n = normaliseCompanyName(name);
          assert.equal(normaliseCompanyName(n), n);
          assert.equal(normaliseCompanyName(name.toUpperCase()), normaliseCompanyName(name.toLowerCase()));
          if (n.length > 0 && !n.split(' ').every((w) => ['ltd', 'inc', 'the'].includes(w))) {
            assert.equal(normaliseCompanyName(`${name} Ltd.`), n);
          }
        }),
      );
    });
  });
});
