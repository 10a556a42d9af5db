import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { isRequestId, parseRequestId, requestIdFromBytes } from '../../../src/core/requests/ids.js';
import { randomIds } from '../../../src/adapters/system/random-ids.js';

describe('request ids', () => {
  it('look like RR-7K2Q9: prefix and five Crockford base-32 characters', () => {
    assert.equal(requestIdFromBytes(new Uint8Array([7, 19, 2, 23, 9])), 'RR-7K2Q9');
    for (let i = 0; i < 200; i++) assert.ok(isRequestId(randomIds.requestId()));
  });

  it('reads what people type: any case, prefix optional, look-alike letters', () => {
    for (const typed of ['RR-7K2Q9', 'rr-7k2q9', '7k2q9', 'RR7K2Q9', ' RR-7K2Q9 ']) {
      assert.equal(parseRequestId(typed), 'RR-7K2Q9', typed);
    }
    assert.equal(parseRequestId('rr-o1il0'), 'RR-01110');
    for (const bad of ['', 'RR-', 'RR-7K2Q', 'RR-7K2Q9X', 'RR-7K2QU', 'Contoso', 'RR 7K2Q9']) {
      assert.equal(parseRequestId(bad), undefined, bad);
    }
  });

  it('round-trips every id through what a person might type', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 5, maxLength: 5 }), fc.boolean(), fc.boolean(), (bytes, lower, bare) => {
        const id = requestIdFromBytes(bytes);
        let typed = bare ? id.slice(3) : id;
        if (lower) typed = typed.toLowerCase();
        assert.equal(parseRequestId(typed), id);
      }),
    );
  });

  it('needs five random bytes', () => {
    assert.throws(() => requestIdFromBytes(new Uint8Array(4)), RangeError);
  });
});
