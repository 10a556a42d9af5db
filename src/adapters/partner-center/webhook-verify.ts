/**
 * Partner Center webhook authentication (docs/partner-center.md#webhooks): `Authorization: Signature <base64>` (or
 * `x-ms-signature`), `X-MS-Signature-Algorithm: rsa-sha256`, and `X-MS-Certificate-Url` pointing at the signing
 * certificate. We fetch that certificate only from the allowed host, check who issued it and that it is current, and
 * verify RSA-SHA256 (PKCS#1 v1.5) over the exact bytes received. Anything off is a `WebhookRejected` with the reason.
 */
import { createVerify, X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';

export class WebhookRejected extends Error {
  override readonly name = 'WebhookRejected';
}

export interface WebhookTrust {
  /** the only origin certificates are fetched from, e.g. https://3psostorageacct.blob.core.windows.net */
  readonly certificateOrigin: string | (() => string);
  readonly certificatePath: RegExp;
  /** the issuer's organisation must be this */
  readonly issuerOrganization: string;
  /** roots the signing certificate must chain to directly; empty = any root Node trusts that issued it, if found */
  readonly roots: readonly X509Certificate[];
  /** live mode also accepts a leaf whose issuer is not among `roots` (Microsoft's intermediates are not served) */
  readonly requireRootSignature: boolean;
}

/** Partner Center itself. */
export const LIVE_TRUST: WebhookTrust = {
  certificateOrigin: 'https://3psostorageacct.blob.core.windows.net',
  certificatePath: /^\/cert\/[A-Za-z0-9._-]+\.cer$/,
  issuerOrganization: 'Microsoft Corporation',
  roots: rootCertificates.map((pem) => new X509Certificate(pem)),
  requireRootSignature: false,
};

/** The emulator: its certificate URL is on its own origin and must chain to its test CA. */
export function emulatorTrust(emulatorOrigin: string | (() => string), testCa: X509Certificate): WebhookTrust {
  return {
    certificateOrigin: emulatorOrigin,
    certificatePath: /^\/emulator\/certs\/[A-Za-z0-9._-]+\.cer$/,
    issuerOrganization: 'Microsoft Corporation',
    roots: [testCa],
    requireRootSignature: true,
  };
}

const CERT_CACHE_MS = 24 * 60 * 60 * 1000;
const CERT_MAX_BYTES = 64 * 1024;

export class WebhookVerifier {
  private readonly certificates = new Map<string, { cert: X509Certificate; until: number }>();

  constructor(
    private readonly trust: WebhookTrust,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async verify(headers: Readonly<Record<string, string | string[] | undefined>>, body: Buffer): Promise<void> {
    const signature = signatureOf(headers);
    const algorithm = header(headers, 'x-ms-signature-algorithm');
    if (!algorithm) throw new WebhookRejected('X-MS-Signature-Algorithm is missing.');
    if (algorithm.toLowerCase() !== 'rsa-sha256') throw new WebhookRejected(`Unsupported algorithm ${algorithm}.`);
    const certificateUrl = header(headers, 'x-ms-certificate-url');
    if (!certificateUrl) throw new WebhookRejected('X-MS-Certificate-Url is missing.');
    const cert = await this.certificate(this.checkUrl(certificateUrl));
    const verifier = createVerify('RSA-SHA256');
    verifier.update(body);
    if (!verifier.verify(cert.publicKey, signature))
      throw new WebhookRejected('The signature does not match the body.');
  }

  private checkUrl(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhookRejected('X-MS-Certificate-Url is not a URL.');
    }
    const allowed = this.trust.certificateOrigin;
    const origin = typeof allowed === 'string' ? allowed : allowed();
    if (url.origin !== origin || !this.trust.certificatePath.test(url.pathname) || url.search) {
      throw new WebhookRejected(`Certificates are only accepted from ${origin}, not ${url.origin}.`);
    }
    return url.href;
  }

  private async certificate(url: string): Promise<X509Certificate> {
    const now = this.now().getTime();
    const cached = this.certificates.get(url);
    if (cached && cached.until > now) return cached.cert;
    let bytes: Buffer;
    try {
      const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(15_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      bytes = Buffer.from(await response.arrayBuffer());
    } catch (err) {
      throw new WebhookRejected(`The signing certificate could not be fetched (${(err as Error).message}).`);
    }
    if (bytes.length > CERT_MAX_BYTES) throw new WebhookRejected('The signing certificate is too large.');
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(bytes);
    } catch {
      throw new WebhookRejected('The signing certificate cannot be read.');
    }
    this.checkCertificate(cert);
    this.certificates.set(url, { cert, until: Math.min(now + CERT_CACHE_MS, Date.parse(cert.validTo)) });
    return cert;
  }

  private checkCertificate(cert: X509Certificate): void {
    const now = this.now().getTime();
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) {
      throw new WebhookRejected('The signing certificate is not valid now.');
    }
    const organizations = cert.issuer.split('\n').filter((line) => line.startsWith('O='));
    if (!organizations.includes(`O=${this.trust.issuerOrganization}`)) {
      throw new WebhookRejected(`The signing certificate was not issued by ${this.trust.issuerOrganization}.`);
    }
    const issuer = this.trust.roots.find((root) => cert.checkIssued(root));
    if (issuer ? !cert.verify(issuer.publicKey) : this.trust.requireRootSignature) {
      throw new WebhookRejected('The signing certificate does not chain to a trusted root.');
    }
  }
}

function header(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const value = headers[name];
  const one = Array.isArray(value) ? value[0] : value;
  return one?.trim() || undefined;
}

function signatureOf(headers: Readonly<Record<string, string | string[] | undefined>>): Buffer {
  const authorization = header(headers, 'authorization');
  const raw = authorization ? /^Signature\s+(\S+)$/i.exec(authorization)?.[1] : header(headers, 'x-ms-signature');
  if (!raw) throw new WebhookRejected('No signature (Authorization: Signature … or x-ms-signature).');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw)) throw new WebhookRejected('The signature is not base64.');
  return Buffer.from(raw, 'base64');
}
