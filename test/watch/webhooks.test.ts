/**
 * The Partner Center webhook receiver (docs/partner-center.md): what it accepts (the emulator's signed calls, `x-ms-signature`
 * too) and the rejections the issue asks to see — forged, unsigned, wrong certificate host, untrusted certificate,
 * wrong algorithm — each a 401 that records nothing and notifies nobody.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import sinon from 'sinon';
import { StorageUnavailableError } from '../../src/core/errors.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { BODY_LIMIT_BYTES } from '../../src/http/body.js';
import { emulatorTrust, WebhookVerifier } from '../../src/adapters/partner-center/webhook-verify.js';
import { CERTIFICATE_FILE, emulatorSigningIdentity, emulatorTestCa, signBody } from '../../src/emulator/webhooks.js';
import { watchHarness } from '../support/watch.js';

type H = Awaited<ReturnType<typeof watchHarness>>;
const identity = emulatorSigningIdentity();
const FIXTURES = join(PACKAGE_ROOT, 'test', 'fixtures', 'partner-center');
const rogueKey = readFileSync(join(FIXTURES, 'rogue-signing.key'), 'utf8');
const rogueCert = new X509Certificate(readFileSync(join(FIXTURES, 'rogue-signing.pem')));
const TENANT = '4b2a6e33-8791-4386-bd2b-0d55baf25039';

function accepted(tenantId = TENANT): string {
  return JSON.stringify({
    EventName: 'reseller-relationship-accepted-by-customer',
    ResourceUri: `https://api.partnercenter.microsoft.com/v1/customers/${tenantId}`,
    ResourceName: 'Customer',
    AuditUri: null,
    ResourceChangeUtcDate: '2026-11-24T09:00:00.0000000+00:00',
  });
}

/** A server that serves a certificate file (for "right host, wrong certificate" and "wrong host"). */
async function certServer(cert: X509Certificate): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/pkix-cert' });
    res.end(cert.raw);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server };
}

describe('Partner Center webhook receiver (docs/partner-center.md)', function () {
  let h: H;
  beforeEach(async () => {
    h = await watchHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  const certUrl = () => `${h.app.url}/emulator/certs/${CERTIFICATE_FILE}`;
  const post = async (body: string, headers: Record<string, string>) => {
    const res = await fetch(`${h.app.url}/api/partner-center/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const signed = (body: string, key = identity.privateKeyPem, url = certUrl()) => ({
    authorization: `Signature ${signBody(body, key)}`,
    'x-ms-certificate-url': url,
    'x-ms-signature-algorithm': 'rsa-sha256',
  });
  const nothingRecorded = async () => {
    assert.equal(
      await h.core.store.outbox.get(`event:relationship.accepted:${TENANT}`),
      undefined,
      'no event recorded',
    );
    await h.settle();
    assert.deepEqual([...h.teamsNotices(), ...h.slackNotices()], [], 'nobody notified');
  };

  it('accepts a correctly signed call (Authorization or x-ms-signature), records it once, answers 200', async () => {
    const body = accepted();
    const first = await post(body, signed(body));
    assert.equal(first.status, 200);
    assert.equal(first.json['status'], 'recorded');
    const { authorization, ...rest } = signed(body);
    const again = await post(body, { ...rest, 'x-ms-signature': authorization.slice('Signature '.length) });
    assert.equal(again.status, 200);
    assert.equal(again.json['status'], 'duplicate', 'a redelivery records nothing new');
    assert.ok(await h.core.store.outbox.get(`event:relationship.accepted:${TENANT}`));
  });

  it('answers 503 with Retry-After when the store cannot record the event, so Partner Center redelivers', async () => {
    const enqueue = sinon
      .stub(h.core.store.outbox, 'enqueue')
      .rejects(new StorageUnavailableError('MongoDB is unreachable: connect ECONNREFUSED'));
    const body = accepted();
    const res = await post(body, signed(body));
    enqueue.restore();
    assert.equal(res.status, 503);
    assert.equal(res.json['error'], 'unavailable');
    assert.ok(!h.app.logs.entries().some((e) => e.msg === 'request failed'), 'not treated as a bug');
    const again = await post(body, signed(body));
    assert.equal(again.json['status'], 'recorded', 'the redelivery is recorded');
  });

  it('acknowledges events it does not handle without effect; a test event is acknowledged as such', async () => {
    const other = JSON.stringify({ EventName: 'invoice-ready', ResourceUri: 'x', ResourceName: 'invoice' });
    const ignored = await post(other, signed(other));
    assert.equal(ignored.status, 200);
    assert.equal(ignored.json['status'], 'ignored');
    const test = JSON.stringify({ EventName: 'test-created', ResourceUri: 'x', ResourceName: 'test' });
    const received = await post(test, signed(test));
    assert.equal(received.status, 200);
    assert.equal(received.json['status'], 'test received');
  });

  const rejections: [string, (body: string) => Promise<Record<string, string>>, string?][] = [
    ['unsigned', () => Promise.resolve({})],
    [
      'forged: signed, then the body changed',
      () => Promise.resolve(signed(accepted('00000000-0000-4000-8000-000000000001'))),
      'signature does not match',
    ],
    [
      'no certificate URL',
      (b) => Promise.resolve({ authorization: signed(b).authorization, 'x-ms-signature-algorithm': 'rsa-sha256' }),
      'Certificate-Url',
    ],
    ['wrong algorithm', (b) => Promise.resolve({ ...signed(b), 'x-ms-signature-algorithm': 'rsa-sha1' }), 'algorithm'],
    [
      'certificate from another host',
      (b) =>
        Promise.resolve(signed(b, identity.privateKeyPem, `https://evil.example/emulator/certs/${CERTIFICATE_FILE}`)),
      'only accepted from',
    ],
    [
      'signature that is not base64',
      (b) => Promise.resolve({ ...signed(b), authorization: 'Signature %%%' }),
      'base64',
    ],
  ];
  for (const [name, headersFor, reason] of rejections) {
    it(`refuses ${name} with 401 and changes nothing`, async () => {
      const body = accepted();
      const res = await post(body, await headersFor(body));
      assert.equal(res.status, 401);
      if (reason) assert.match(String(res.json['message']), new RegExp(reason));
      await nothingRecorded();
    });
  }

  it('refuses a certificate that does not chain to the trusted CA, even signed consistently', async () => {
    // the rogue certificate, served from a host that is not allowed either way
    const rogue = await certServer(rogueCert);
    try {
      const body = accepted();
      const res = await post(body, signed(body, rogueKey, `${rogue.url}/emulator/certs/${CERTIFICATE_FILE}`));
      assert.equal(res.status, 401);
      await nothingRecorded();
    } finally {
      rogue.server.close();
    }
  });

  it('refuses a certificate on the allowed host that was not issued by the trusted CA', async () => {
    const rogue = await certServer(rogueCert);
    try {
      const verifier = new WebhookVerifier(emulatorTrust(rogue.url, emulatorTestCa()));
      const body = Buffer.from(accepted());
      const headers = signed(body.toString(), rogueKey, `${rogue.url}/emulator/certs/${CERTIFICATE_FILE}`);
      await assert.rejects(verifier.verify(headers, body), /does not chain to a trusted root/);
      // the same call signed by the emulator's own certificate from that host passes the same verifier
      const own = await certServer(identity.certificate);
      try {
        const ok = new WebhookVerifier(emulatorTrust(own.url, emulatorTestCa()));
        await ok.verify(
          signed(body.toString(), identity.privateKeyPem, `${own.url}/emulator/certs/${CERTIFICATE_FILE}`),
          body,
        );
      } finally {
        own.server.close();
      }
    } finally {
      rogue.server.close();
    }
  });

  it('refuses a body over 1 MiB with 413 before anything else', async () => {
    const big = `{"x":"${'a'.repeat(BODY_LIMIT_BYTES)}"}`;
    assert.equal((await post(big, signed(big))).status, 413);
  });

  it('answers 400 to a correctly signed call that is not a usable event', async () => {
    const body = JSON.stringify({ EventName: 'reseller-relationship-accepted-by-customer', ResourceUri: 'nope' });
    const res = await post(body, signed(body));
    assert.equal(res.status, 400);
    const notJson = '{"EventName":';
    assert.equal((await post(notJson, signed(notJson))).status, 400);
  });
});
