/**
 * Hardening: malformed and oversized bodies on every route that takes one (Teams, Slack, Partner Center webhooks, the
 * emulator's APIs and controls, the playground and its connector), with Teams, Slack and local mode all on. Every
 * answer is a 4xx or a harmless 2xx, never a 5xx; nothing is logged as a failure; the server stays healthy.
 */
import { strict as assert } from 'node:assert';
import { gzipSync } from 'node:zlib';
import { startTestApp } from '../support/app.js';
import { SIGNING_SECRET } from '../support/slack.js';

const ROUTES: [method: string, path: string, headers?: Record<string, string>][] = [
  ['POST', '/api/messages'],
  ['POST', '/slack/events'],
  ['POST', '/api/partner-center/webhooks'],
  ['POST', '/emulator/control/customers'],
  ['POST', '/emulator/control/customers/00000000-0000-4000-8000-000000000001/remove-relationship'],
  ['POST', '/emulator/control/gdap/nope/approve'],
  ['POST', '/emulator/control/throttle'],
  ['POST', '/emulator/control/webhooks'],
  ['POST', '/emulator/control/bom'],
  [
    'POST',
    '/emulator/graph/tenantRelationships/delegatedAdminRelationships',
    { authorization: 'Bearer emulator-app-token' },
  ],
  ['POST', '/playground/messages'],
  ['POST', '/playground/reconcile'],
  ['POST', '/playground/connector/v3/conversations/19%3Ax/activities'],
  ['POST', '/playground/connector/v3/conversations/19%3Ax/activities/1'],
  ['PUT', '/playground/connector/v3/conversations/19%3Ax/activities/1'],
  ['POST', '/healthz'],
];

const JSON_TYPE = { 'content-type': 'application/json' };
const BODIES: [name: string, body: Uint8Array | string, headers: Record<string, string>][] = [
  ['malformed JSON', '{"type":', JSON_TYPE],
  ['a JSON array', '[1,2,3]', JSON_TYPE],
  ['JSON null', 'null', JSON_TYPE],
  ['an empty body', '', JSON_TYPE],
  ['text/plain', 'hello', { 'content-type': 'text/plain' }],
  ['a form', 'a=b&payload=%7B', { 'content-type': 'application/x-www-form-urlencoded' }],
  ['1 MiB + 1 byte', `{"a":"${'x'.repeat(1024 * 1024 - 7)}"}`, JSON_TYPE],
  ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x22, 0x7d]), JSON_TYPE],
  ['JSON nested 100,000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, JSON_TYPE],
  ['gzip that is not gzip', 'not gzip at all', { ...JSON_TYPE, 'content-encoding': 'gzip' }],
  ['gzip of JSON', gzipSync('{"a":1}'), { ...JSON_TYPE, 'content-encoding': 'gzip' }],
  ['fields of the wrong types', '{"type":42,"conversation":"x","from":[],"text":{},"serviceUrl":7}', JSON_TYPE],
  ['a huge string field', JSON.stringify({ text: 'y'.repeat(900_000), type: 'message' }), JSON_TYPE],
];

describe('hardening: malformed and oversized bodies on every route', function () {
  it(`${ROUTES.length} routes × ${BODIES.length} bodies: never a 5xx, nothing logged as a failure`, async () => {
    const t = await startTestApp({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
    });
    try {
      const byStatus = new Map<number, number>();
      const bad: string[] = [];
      for (const [method, path, extra] of ROUTES) {
        for (const [name, body, headers] of BODIES) {
          const res = await fetch(new URL(path, t.url), { method, headers: { ...headers, ...extra }, body });
          await res.arrayBuffer();
          byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
          if (res.status >= 500) bad.push(`${method} ${path} with ${name}: ${res.status}`);
        }
      }
      assert.deepEqual(bad, []);
      assert.equal((await fetch(new URL('/healthz', t.url))).status, 200);
      const failures = t.logs.entries().filter((e) => e['level'] >= 50);
      assert.deepEqual(
        failures.map((e) => e.msg),
        [],
      );
      // eslint-disable-next-line no-console -- the hardening counts belong in the test output
      console.log(
        `      ${ROUTES.length * BODIES.length} requests, by status: ${JSON.stringify(Object.fromEntries([...byStatus].sort()))}`,
      );
    } finally {
      await t.stop();
    }
  });
});
