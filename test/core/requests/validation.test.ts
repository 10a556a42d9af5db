import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkCustomerName, checkDomain, checkEmail, type Checked } from '../../../src/core/requests/validation.js';
import { charCount } from '../../../src/core/text.js';

const value = <T>(c: Checked<T>): T => {
  assert.ok(c.ok, c.ok ? '' : c.problem);
  return c.value;
};
const problem = <T>(c: Checked<T>): string => {
  assert.ok(!c.ok, `expected a refusal, got ${JSON.stringify(c)}`);
  return c.problem;
};

describe('input validation (docs/behaviour.md#commands)', () => {
  describe('customer name', () => {
    it('accepts names with spaces, punctuation and any script, collapsing whitespace', () => {
      assert.equal(value(checkCustomerName('  Contoso   Ltd. ')), 'Contoso Ltd.');
      assert.equal(value(checkCustomerName('Société Générale')), 'Société Générale');
      assert.equal(value(checkCustomerName('株式会社テスト')), '株式会社テスト');
      assert.equal(value(checkCustomerName('Ålesund Fiske AS 🐟')), 'Ålesund Fiske AS 🐟');
      assert.equal(value(checkCustomerName('A\tB\nC')), 'A B C');
      assert.equal(value(checkCustomerName('${Exit()}')), '${Exit()}', 'template syntax is just text here');
      assert.equal(value(checkCustomerName('x'.repeat(100))).length, 100);
    });

    it('composes decomposed accents (NFC), so the same name is stored the same way', () => {
      assert.equal(value(checkCustomerName('Socie\u0301te\u0301')), 'Société');
    });

    it('refuses empty, too long, invisible and control characters', () => {
      assert.equal(problem(checkCustomerName('   ')), 'The customer name is missing.');
      assert.equal(
        problem(checkCustomerName('x'.repeat(101))),
        'The customer name is 101 characters long; at most 100 are allowed.',
      );
      assert.match(problem(checkCustomerName('Con\u0000toso')), /control character \(U\+0000\)/);
      assert.match(problem(checkCustomerName('Contoso\u202Eevil')), /U\+202E/);
      assert.match(problem(checkCustomerName('Con\u200Btoso')), /U\+200B/);
      assert.equal(value(checkCustomerName('+++')), '+++', 'printable is enough (docs/behaviour.md#commands)');
    });

    it('counts characters, not UTF-16 units (100 emoji fit)', () => {
      assert.equal(charCount(value(checkCustomerName('🏢'.repeat(100)))), 100);
      assert.ok(!checkCustomerName('🏢'.repeat(101)).ok);
    });

    it('for any input: never throws; an accepted name is 1–100 visible characters and stable', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 140 }), (raw) => {
          const result = checkCustomerName(raw);
          if (!result.ok) return;
          const length = charCount(result.value);
          assert.ok(length >= 1 && length <= 100);
          assert.doesNotMatch(result.value, /[\p{Cc}\u202A-\u202E]/u);
          assert.equal(result.value, result.value.trim());
          assert.deepEqual(checkCustomerName(result.value), result, 'normalising twice changes nothing');
        }),
      );
    });
  });

  describe('email', () => {
    it('accepts real-world addresses and lower-cases the domain', () => {
      assert.equal(value(checkEmail('admin@contoso.com')), 'admin@contoso.com');
      assert.equal(value(checkEmail('First.Last+csp@Contoso.CO.UK')), 'First.Last+csp@contoso.co.uk');
      assert.equal(value(checkEmail("o'brien@fabrikam.ie")), "o'brien@fabrikam.ie");
      assert.equal(value(checkEmail('it@müller.de')), 'it@xn--mller-kva.de');
    });

    it('refuses what is not an address, saying what is wrong', () => {
      assert.equal(problem(checkEmail('')), 'The contact email is missing.');
      assert.match(problem(checkEmail('admin')), /not an email address/);
      assert.match(problem(checkEmail('@contoso.com')), /not an email address/);
      assert.match(problem(checkEmail('admin@')), /not an email address/);
      assert.match(problem(checkEmail('ad min@contoso.com')), /before @/);
      assert.match(problem(checkEmail('.admin@contoso.com')), /before @/);
      assert.match(problem(checkEmail('a..b@contoso.com')), /before @/);
      assert.match(problem(checkEmail('<@U123>@contoso.com')), /before @/);
      assert.match(problem(checkEmail('admin@contoso')), /not a full domain name/);
      assert.match(problem(checkEmail('admin@contoso..com')), /not a valid domain/);
      assert.match(problem(checkEmail(`${'a'.repeat(250)}@contoso.com`)), /longer than 254/);
    });

    it('for any input: never throws, and an accepted address is accepted again unchanged', () => {
      fc.assert(
        fc.property(fc.oneof(fc.emailAddress(), fc.string({ maxLength: 80 })), (raw) => {
          const result = checkEmail(raw);
          if (result.ok) assert.deepEqual(checkEmail(result.value), result);
        }),
      );
    });

    it('accepts generated valid addresses', () => {
      fc.assert(
        fc.property(fc.emailAddress(), (email) => {
          // fast-check's generator covers RFC 5322 forms; keep the ones the HTML rule allows (no quoted local parts)
          // and whose top-level label is alphabetic.
          const domain = email.slice(email.lastIndexOf('@') + 1);
          fc.pre(/^[a-z]{2,}$/.test(domain.split('.').pop() ?? '') && domain.length <= 253 && email.length <= 254);
          assert.ok(checkEmail(email).ok, email);
        }),
      );
    });
  });

  describe('domain', () => {
    it('accepts DNS names, converting international names to ASCII', () => {
      assert.equal(value(checkDomain('contoso.com')), 'contoso.com');
      assert.equal(value(checkDomain('Contoso.COM.')), 'contoso.com');
      assert.equal(value(checkDomain('eu.sub-1.contoso.co.uk')), 'eu.sub-1.contoso.co.uk');
      assert.equal(value(checkDomain('bücher.example')), 'xn--bcher-kva.example');
      assert.equal(value(checkDomain('xn--bcher-kva.xn--p1ai')), 'xn--bcher-kva.xn--p1ai');
    });

    it('refuses what is not a DNS name', () => {
      assert.match(problem(checkDomain('')), /missing/);
      assert.match(problem(checkDomain('contoso')), /not a full domain name/);
      assert.match(problem(checkDomain('contoso.com/path')), /letters, digits, dots and hyphens only/);
      assert.match(problem(checkDomain('http://contoso.com')), /letters, digits, dots and hyphens only/);
      assert.match(problem(checkDomain('-contoso.com')), /not a valid domain name/);
      assert.match(problem(checkDomain('contoso-.com')), /not a valid domain name/);
      assert.match(problem(checkDomain(`${'a'.repeat(64)}.com`)), /not a valid domain name/);
      assert.match(problem(checkDomain('10.0.0.1')), /top-level domain/);
      assert.match(problem(checkDomain('contoso.c')), /top-level domain/);
      assert.match(problem(checkDomain(`${'a.'.repeat(130)}com`)), /longer than 253/);
    });

    it('for any input: never throws; accepted names are lower-case ASCII and stable', () => {
      fc.assert(
        fc.property(fc.oneof(fc.domain(), fc.string({ maxLength: 60 })), (raw) => {
          const result = checkDomain(raw);
          if (!result.ok) return;
          assert.match(result.value, /^[a-z0-9.-]+$/);
          assert.deepEqual(checkDomain(result.value), result);
        }),
      );
    });
  });
});
