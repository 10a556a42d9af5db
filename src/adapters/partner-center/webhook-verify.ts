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
const CERT_FETCH_MS = 15_000;
/** Partner Center signs with one certificate at a time; a handful covers a rotation. */
const CERT_CACHE_ENTRIES = 16;
/** Certificate fetches under way at once, all URLs together: a flood of made-up URLs costs at most this many. */
const CERT_FETCHES_AT_ONCE = 4;
/** RSA signatures are as long as the key: 2048, 3072 or 4096 bits. */
const SIGNATURE_BYTES = new Set([256, 384, 512]);

export interface VerifierOptions {
  readonly now?: () => Date;
  /** how many certificates are kept at most (oldest first out) */
  readonly cacheEntries?: number;
  readonly fetchTimeoutMs?: number;
}

/**
 * Checks every webhook; cheap refusals (signature shape, algorithm, certificate URL) come before any fetch. A
 * certificate URL is reduced to one canonical form and fetched once at a time, its body read to at most 64 KiB within
 * the timeout; the certificates kept are bounded in number and age, so no stream of requests can make them grow.
 */
export class WebhookVerifier {
  private readonly certificates = new Map<string, { cert: X509Certificate; until: number }>();
  private readonly fetching = new Map<string, Promise<X509Certificate>>();
  private readonly now: () => Date;
  private readonly cacheEntries: number;
  private readonly fetchTimeoutMs: number;

  constructor(
    private readonly trust: WebhookTrust,
    options: VerifierOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.cacheEntries = options.cacheEntries ?? CERT_CACHE_ENTRIES;
    this.fetchTimeoutMs = options.fetchTimeoutMs ?? CERT_FETCH_MS;
  }

  /** how many certificates are kept (bounded by `cacheEntries`) */
  get cached(): number {
    return this.certificates.size;
  }

  async verify(headers: Readonly<Record<string, string | string[] | undefined>>, body: Buffer): Promise<void> {
    const signature = signatureOf(headers);
    const algorithm = header(headers, 'x-ms-signature-algorithm');
    if (!algorithm) throw new WebhookRejected('X-MS-Signature-Algorithm is missing.');
    if (algorithm.toLowerCase() !== 'rsa-sha256') throw new WebhookRejected(`Unsupported algorithm ${algorithm}.`);
    const certificateUrl = header(headers, 'x-ms-certificate-url');
    if (!certificateUrl) throw new WebhookRejected('X-MS-Certificate-Url is missing.');
    const cert = await this.certificate(this.canonicalUrl(certificateUrl));
    const verifier = createVerify('RSA-SHA256');
    verifier.update(body);
    if (!verifier.verify(cert.publicKey, signature))
      throw new WebhookRejected('The signature does not match the body.');
  }

  /** The one form a certificate URL is known by: origin and path, nothing else allowed. */
  private canonicalUrl(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhookRejected('X-MS-Certificate-Url is not a URL.');
    }
    const allowed = this.trust.certificateOrigin;
    const origin = typeof allowed === 'string' ? allowed : allowed();
    if (url.origin !== origin || !this.trust.certificatePath.test(url.pathname)) {
      throw new WebhookRejected(`Certificates are only accepted from ${origin}, not ${url.origin}.`);
    }
    if (url.search || url.hash || raw.includes('?') || raw.includes('#') || url.username || url.password) {
      throw new WebhookRejected('X-MS-Certificate-Url must have no query, fragment or credentials.');
    }
    return `${url.origin}${url.pathname}`;
  }

  private async certificate(url: string): Promise<X509Certificate> {
    const now = this.now().getTime();
    const cached = this.certificates.get(url);
    if (cached && cached.until > now) return cached.cert;
    this.certificates.delete(url);
    const running = this.fetching.get(url);
    if (running) return running;
    if (this.fetching.size >= CERT_FETCHES_AT_ONCE) {
      throw new WebhookRejected('Too many signing certificates are being fetched at once; try again.');
    }
    const fetched = this.fetchCertificate(url).finally(() => this.fetching.delete(url));
    this.fetching.set(url, fetched);
    const cert = await fetched;
    this.keep(url, cert, now);
    return cert;
  }

  private keep(url: string, cert: X509Certificate, now: number): void {
    this.certificates.set(url, { cert, until: Math.min(now + CERT_CACHE_MS, Date.parse(cert.validTo)) });
    for (const [key, entry] of this.certificates) {
      if (this.certificates.size <= this.cacheEntries && entry.until > now) continue;
      this.certificates.delete(key); // expired, or the oldest beyond the bound
    }
  }

  private async fetchCertificate(url: string): Promise<X509Certificate> {
    let bytes: Buffer;
    try {
      bytes = await readLimited(url, CERT_MAX_BYTES, this.fetchTimeoutMs);
    } catch (err) {
      throw err instanceof WebhookRejected
        ? err
        : new WebhookRejected(`The signing certificate could not be fetched (${(err as Error).message}).`);
    }
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(bytes);
    } catch {
      throw new WebhookRejected('The signing certificate cannot be read.');
    }
    this.checkCertificate(cert);
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
  const signature = Buffer.from(raw, 'base64');
  if (!SIGNATURE_BYTES.has(signature.length)) {
    throw new WebhookRejected(`The signature is ${signature.length} bytes; an RSA signature is 256, 384 or 512.`);
  }
  return signature;
}

/** GET `url`'s body, refusing it past `maxBytes` as it streams in; `timeoutMs` covers the body too. */
async function readLimited(url: string, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  const signal = AbortSignal.timeout(timeoutMs);
  const response = await fetch(url, { redirect: 'error', signal });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new WebhookRejected('The signing certificate is too large.');
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      // leaving the loop cancels the stream: nothing more is read
      if (size > maxBytes) throw new WebhookRejected('The signing certificate is too large.');
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks);
}
