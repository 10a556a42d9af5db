/**
 * The webhook verifier cannot be made to fetch, keep or buffer without bound: certificate URLs have one canonical
 * form (no query, fragment or credentials), cheap refusals come before any fetch, one fetch per URL at a time and a
 * few at most in all, a bounded cache, and a body limit enforced while the certificate streams in, within the timeout.
 * The certificate server is a local HTTP server that counts what it is asked.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { emulatorTrust, WebhookVerifier } from '../../../src/adapters/partner-center/webhook-verify.js';
import { emulatorSigningIdentity, emulatorTestCa, signBody } from '../../../src/emulator/webhooks.js';
import { eventually } from '../../support/eventually.js';

const identity = emulatorSigningIdentity();
const BODY = Buffer.from('{"EventName":"test-created"}');

/** Serves the emulator's signing certificate at any /emulator/certs/*.cer, or what `override` says. */
async function certificateServer(override?: (res: ServerResponse, path: string) => boolean) {
  const asked: string[] = [];
  let closedEarly = 0;
  const server: Server = createServer((req, res) => {
    asked.push(req.url ?? '');
    res.on('close', () => {
      if (!res.writableFinished) closedEarly++;
    });
    if (override?.(res, req.url ?? '')) return;
    res.writeHead(200, { 'content-type': 'application/pkix-cert' });
    res.end(identity.certificate.raw);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    origin,
    asked,
    closedEarly: () => closedEarly,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => {
          ok();
        });
      }),
  };
}

function headers(certificateUrl: string, signature = signBody(BODY.toString(), identity.privateKeyPem)) {
  return {
    authorization: `Signature ${signature}`,
    'x-ms-certificate-url': certificateUrl,
    'x-ms-signature-algorithm': 'rsa-sha256',
  };
}

describe('webhook verifier: bounded work for any request', () => {
  let server: Awaited<ReturnType<typeof certificateServer>>;
  afterEach(async () => {
    await server.close();
  });

  it('refuses a query, a fragment or credentials in the certificate URL before fetching anything', async () => {
    server = await certificateServer();
    const verifier = new WebhookVerifier(emulatorTrust(server.origin, emulatorTestCa()));
    const base = `${server.origin}/emulator/certs/signing.cer`;
    for (const url of [`${base}#a`, `${base}?v=1`, `${base}?`, `${base}#`, base.replace('http://', 'http://u:p@')]) {
      await assert.rejects(
        verifier.verify(headers(url), BODY),
        /no query, fragment or credentials|only accepted from/,
        url,
      );
    }
    assert.deepEqual(server.asked, []);
    await verifier.verify(headers(base), BODY);
    assert.deepEqual(server.asked, ['/emulator/certs/signing.cer']);
  });

  it('refuses signatures that cannot be RSA signatures, and other algorithms, before fetching', async () => {
    server = await certificateServer();
    const verifier = new WebhookVerifier(emulatorTrust(server.origin, emulatorTestCa()));
    const url = `${server.origin}/emulator/certs/signing.cer`;
    await assert.rejects(verifier.verify(headers(url, randomBytes(40).toString('base64')), BODY), /40 bytes/);
    await assert.rejects(
      verifier.verify({ ...headers(url), 'x-ms-signature-algorithm': 'hmac-sha256' }, BODY),
      /Unsupported algorithm/,
    );
    assert.deepEqual(server.asked, []);
  });

  it('fetches a certificate once however many webhooks ask for it at the same time', async () => {
    server = await certificateServer();
    const verifier = new WebhookVerifier(emulatorTrust(server.origin, emulatorTestCa()));
    const url = `${server.origin}/emulator/certs/signing.cer`;
    await Promise.all(Array.from({ length: 25 }, () => verifier.verify(headers(url), BODY)));
    assert.equal(server.asked.length, 1);
  });

  it('keeps a bounded number of certificates, and none past its age', async () => {
    server = await certificateServer();
    let now = new Date();
    const verifier = new WebhookVerifier(emulatorTrust(server.origin, emulatorTestCa()), {
      cacheEntries: 4,
      now: () => now,
    });
    for (let i = 0; i < 10; i++) await verifier.verify(headers(`${server.origin}/emulator/certs/c${i}.cer`), BODY);
    assert.equal(verifier.cached, 4);
    now = new Date(now.getTime() + 25 * 60 * 60 * 1000);
    await verifier.verify(headers(`${server.origin}/emulator/certs/fresh.cer`), BODY);
    assert.equal(verifier.cached, 1, 'a day later only the certificate just fetched is kept');
  });

  it('stops reading a certificate past 64 KiB as it streams in (a 3 GiB answer is not buffered)', async () => {
    const chunk = Buffer.alloc(64 * 1024, 1);
    let sent = 0;
    server = await certificateServer((res) => {
      res.writeHead(200, { 'content-type': 'application/pkix-cert' });
      const pump = () => {
        while (sent < 3 * 1024 ** 3 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
      return true;
    });
    const verifier = new WebhookVerifier(emulatorTrust(server.origin, emulatorTestCa()));
    await assert.rejects(verifier.verify(headers(`${server.origin}/emulator/certs/huge.cer`), BODY), /too large/);
    assert.ok(sent < 64 * 1024 * 1024, `the server got to send ${sent} bytes only`);
  });

  it('gives up on a certificate whose body stalls, within the timeout', async () => {
    server = await certificateServer((res) => {
      res.writeHead(200, { 'content-type': 'application/pkix-cert' });
      res.write(identity.certificate.raw.subarray(0, 10)); // then nothing more
      return true;
    });
    const verifier = new WebhookVerifier(emulatorTrust(server.origin, emulatorTestCa()), { fetchTimeoutMs: 200 });
    await assert.rejects(
      verifier.verify(headers(`${server.origin}/emulator/certs/slow.cer`), BODY),
      /could not be fetched/,
    );
  });

  it('has at most a few certificate fetches under way, whatever the URLs', async () => {
    const stalled: ServerResponse[] = [];
    server = await certificateServer((res) => {
      stalled.push(res);
      return true; // never answers
    });
    const verifier = new WebhookVerifier(emulatorTrust(server.origin, emulatorTestCa()), { fetchTimeoutMs: 30_000 });
    const attempts = Array.from({ length: 20 }, (_, i) =>
      verifier.verify(headers(`${server.origin}/emulator/certs/u${i}.cer`), BODY).then(
        () => 'accepted',
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      ),
    );
    // 16 refused at once, without waiting for the 4 fetches that hang
    const refused = await Promise.all(attempts.slice(4));
    assert.ok(
      refused.every((m) => /Too many signing certificates/.test(m)),
      refused.join('\n'),
    );
    await eventually(() => (server.asked.length === 4 ? true : undefined), 'the four fetches at the server');
    assert.equal(server.asked.length, 4);
    for (const res of stalled) res.destroy();
    await Promise.all(attempts);
  });
});
