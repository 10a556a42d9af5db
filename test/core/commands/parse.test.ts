import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { COMMANDS, findCommand } from '../../../src/core/commands/registry.js';
import { parseRequestArgs } from '../../../src/core/commands/request.js';

describe('command parsing (docs/behaviour.md#commands)', () => {
  it('finds every command by its words, in any case and spacing', () => {
    const cases: [string, string, string][] = [
      ['request relationship Contoso admin@contoso.com', 'request', 'Contoso admin@contoso.com'],
      ['REQUEST   Relationship\tContoso Ltd admin@contoso.com', 'request', 'Contoso Ltd admin@contoso.com'],
      ['request Contoso admin@contoso.com', 'request', 'Contoso admin@contoso.com'],
      ['request relationship', 'request', ''],
      ['request', 'request', ''],
      ['list', 'list', ''],
      ['List ALL', 'list', 'ALL'],
      ['status RR-7K2Q9', 'status', 'RR-7K2Q9'],
      ['cancel rr-7k2q9', 'cancel', 'rr-7k2q9'],
      ['subscribe', 'subscribe', ''],
      ['unsubscribe', 'unsubscribe', ''],
      ['help', 'help', ''],
      ['?', 'help', ''],
      ['/list open', 'list', 'open'],
    ];
    for (const [text, name, args] of cases) {
      const found = findCommand(text);
      assert.equal(found?.command.name, name, text);
      assert.equal(found.args, args, text);
    }
  });

  it('does not mistake a word that merely starts like a command', () => {
    for (const text of ['', 'requests', 'listing', 'statuses', 'subscribers', 'hello', 'cancellation RR-1']) {
      assert.equal(findCommand(text), undefined, text);
    }
  });

  it('lists commands with usage, a summary and examples that parse as themselves', () => {
    assert.deepEqual(
      COMMANDS.map((c) => c.name),
      ['request', 'list', 'status', 'cancel', 'subscribe', 'unsubscribe', 'help'],
    );
    for (const command of COMMANDS) {
      assert.ok(command.usage.startsWith(command.name), command.name);
      assert.ok(command.summary.length > 10);
      for (const example of command.examples) assert.equal(findCommand(example)?.command, command, example);
    }
  });

  describe('request arguments', () => {
    it('takes the last word with @ as the email and everything before it as the name', () => {
      assert.deepEqual(parseRequestArgs('Contoso Ltd admin@contoso.com'), {
        customerName: 'Contoso Ltd',
        contactEmail: 'admin@contoso.com',
        domain: '',
        tenant: '',
        leftover: '',
      });
      assert.deepEqual(parseRequestArgs('Société Générale S.A. dsi@socgen.fr'), {
        customerName: 'Société Générale S.A.',
        contactEmail: 'dsi@socgen.fr',
        domain: '',
        tenant: '',
        leftover: '',
      });
      assert.equal(parseRequestArgs('株式会社テスト it@test.co.jp').customerName, '株式会社テスト');
      assert.equal(parseRequestArgs('"Contoso, Ltd" admin@contoso.com').customerName, 'Contoso, Ltd');
      assert.equal(parseRequestArgs('“Contoso”  admin@contoso.com').customerName, 'Contoso');
    });

    it('reads an optional domain clause after the email', () => {
      assert.equal(parseRequestArgs('Fabrikam it@fabrikam.de domain fabrikam.com').domain, 'fabrikam.com');
      assert.equal(parseRequestArgs('Fabrikam it@fabrikam.de DOMAIN Fabrikam.com').domain, 'Fabrikam.com');
      assert.equal(parseRequestArgs('Fabrikam it@fabrikam.de domain:fabrikam.com').domain, 'fabrikam.com');
      assert.equal(
        parseRequestArgs('Fabrikam it@fabrikam.de domain <http://fabrikam.com|fabrikam.com>').domain,
        'fabrikam.com',
      );
      const named = parseRequestArgs('Domain Name Services domain it@dns.example');
      assert.equal(named.customerName, 'Domain Name Services domain', '"domain" inside a name is a word of the name');
      assert.equal(named.domain, '');
    });

    it('reads an optional tenant clause after the email, before or after the domain', () => {
      const guid = '4b2a6e33-8791-4386-bd2b-0d55baf25039';
      assert.equal(parseRequestArgs(`Northwind it@northwind.com tenant ${guid}`).tenant, guid);
      const both = parseRequestArgs('Northwind it@northwind.com tenant nwtraders.onmicrosoft.com domain northwind.com');
      assert.equal(both.tenant, 'nwtraders.onmicrosoft.com');
      assert.equal(both.domain, 'northwind.com');
      assert.equal(both.leftover, '');
      assert.equal(
        parseRequestArgs('Northwind it@northwind.com tenant:nwtraders.onmicrosoft.com').tenant,
        'nwtraders.onmicrosoft.com',
      );
      const named = parseRequestArgs('Tenant Services it@ts.example');
      assert.equal(named.customerName, 'Tenant Services', '"tenant" before the email is a word of the name');
      assert.equal(
        parseRequestArgs('Northwind it@northwind.com tenant').leftover,
        'tenant',
        'a clause without a value',
      );
    });

    it('unwraps emails as Slack and Teams deliver them', () => {
      assert.equal(
        parseRequestArgs('Contoso <mailto:admin@contoso.com|admin@contoso.com>').contactEmail,
        'admin@contoso.com',
      );
      assert.equal(parseRequestArgs('Contoso mailto:admin@contoso.com').contactEmail, 'admin@contoso.com');
      assert.equal(parseRequestArgs('Contoso <admin@contoso.com>').contactEmail, 'admin@contoso.com');
    });

    it('keeps partial input for the form: a missing email, or words after it', () => {
      assert.deepEqual(parseRequestArgs('Contoso Ltd'), {
        customerName: 'Contoso Ltd',
        contactEmail: '',
        domain: '',
        tenant: '',
        leftover: '',
      });
      assert.deepEqual(parseRequestArgs(''), {
        customerName: '',
        contactEmail: '',
        domain: '',
        tenant: '',
        leftover: '',
      });
      assert.equal(parseRequestArgs('Contoso admin@contoso.com please').leftover, 'please');
    });

    it('round-trips generated names (any script, spaces) and emails', () => {
      const word = fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
        .filter(
          (w) => !/[\s@"'“”‘’«»]/u.test(w) && w.toLowerCase() !== 'domain' && !w.toLowerCase().startsWith('domain'),
        );
      fc.assert(
        fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), fc.emailAddress(), (words, email) => {
          const parsed = parseRequestArgs(`${words.join(' ')} ${email}`);
          assert.equal(parsed.customerName, words.join(' '));
          assert.equal(parsed.contactEmail, email);
          assert.equal(parsed.leftover, '');
        }),
      );
    });
  });
});
