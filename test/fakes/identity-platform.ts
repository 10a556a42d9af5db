/**
 * A fake Microsoft identity platform on loopback, speaking the documented wire format: instance discovery, OpenID
 * discovery, `/authorize` (the user signs in and consents at once, or refuses) and `/token` with the authorization-code
 * grant (PKCE S256 checked), the refresh-token grant (tokens rotate; a revoked one answers `invalid_grant` as Entra
 * does) and client credentials. Every call is recorded.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** MSAL always asks Microsoft's host; the bot's network client sends it here instead. */
const MICROSOFT = 'https://login.microsoftonline.com';

export interface IdpCall {
  readonly path: string;
  readonly grantType?: string | undefined;
  readonly scope?: string | undefined;
}

interface PendingCode {
  readonly challenge: string;
  readonly redirectUri: string;
  readonly scope: string;
}

export class FakeIdentityPlatform {
  readonly calls: IdpCall[] = [];
  /** refresh tokens that still work, with the user they belong to */
  private readonly refreshTokens = new Set<string>();
  private readonly codes = new Map<string, PendingCode>();
  private tokens = 0;
  /** the next sign-in is refused by the user (`access_denied`) */
  refuseConsent = false;
  readonly user = { oid: randomUUID(), name: 'Ana Lopez', username: 'ana@contosopartner.onmicrosoft.com' };

  private constructor(
    private readonly server: Server,
    readonly tenantId: string,
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  static async start(tenantId: string, clientId: string, clientSecret: string): Promise<FakeIdentityPlatform> {
    const server = createServer();
    const fake = new FakeIdentityPlatform(server, tenantId, clientId, clientSecret);
    server.on('request', (req, res) => {
      fake.handle(req, res).catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A refresh token the partner's admin got some other way (as if from an earlier consent). */
  issueRefreshToken(): string {
    const token = `rt-${++this.tokens}-${randomUUID()}`;
    this.refreshTokens.add(token);
    return token;
  }

  /** The admin signed out everywhere, or the token passed 90 days unused: it no longer works. */
  revokeAll(): void {
    this.refreshTokens.clear();
  }

  grants(type: string): IdpCall[] {
    return this.calls.filter((c) => c.grantType === type);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) =>
      this.server.close(() => {
        done();
      }),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const tenant = `/${this.tenantId}`;
    this.calls.push({
      path: url.pathname,
      grantType: form.get('grant_type') ?? undefined,
      scope: form.get('scope') ?? undefined,
    });
    if (url.pathname === '/common/discovery/instance') {
      json(res, 200, {
        tenant_discovery_endpoint: `${MICROSOFT}${tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [
          {
            preferred_network: 'login.microsoftonline.com',
            preferred_cache: 'login.windows.net',
            aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com'],
          },
        ],
      });
    } else if (url.pathname === `${tenant}/v2.0/.well-known/openid-configuration`) {
      json(res, 200, {
        issuer: `${MICROSOFT}${tenant}/v2.0`,
        authorization_endpoint: `${MICROSOFT}${tenant}/oauth2/v2.0/authorize`,
        token_endpoint: `${MICROSOFT}${tenant}/oauth2/v2.0/token`,
        end_session_endpoint: `${MICROSOFT}${tenant}/oauth2/v2.0/logout`,
        jwks_uri: `${MICROSOFT}${tenant}/discovery/v2.0/keys`,
        response_types_supported: ['code'],
      });
    } else if (url.pathname === `${tenant}/oauth2/v2.0/authorize`) {
      this.authorize(url.searchParams, res);
    } else if (url.pathname === `${tenant}/oauth2/v2.0/token` && req.method === 'POST') {
      this.token(form, res);
    } else {
      json(res, 404, { error: 'not_found', error_description: `${req.method ?? ''} ${url.pathname}` });
    }
  }

  /** The user signs in and consents at once; the browser is sent back to the app's redirect URI. */
  private authorize(query: URLSearchParams, res: ServerResponse): void {
    const redirectUri = query.get('redirect_uri') ?? '';
    const state = query.get('state') ?? '';
    const challenge = query.get('code_challenge') ?? '';
    if (query.get('client_id') !== this.clientId || !redirectUri.startsWith('http://localhost:')) {
      json(res, 400, { error: 'invalid_request', error_description: 'AADSTS50011: redirect URI or client not known.' });
      return;
    }
    if (query.get('response_type') !== 'code' || query.get('code_challenge_method') !== 'S256' || !challenge) {
      json(res, 400, { error: 'invalid_request', error_description: 'AADSTS9002325: PKCE (S256) is required.' });
      return;
    }
    const back = new URL(redirectUri);
    if (this.refuseConsent) {
      this.refuseConsent = false;
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'AADSTS65004: User declined to consent to access the app.');
    } else {
      const code = `code-${randomUUID()}`;
      this.codes.set(code, { challenge, redirectUri, scope: query.get('scope') ?? '' });
      back.searchParams.set('code', code);
    }
    back.searchParams.set('state', state);
    res.writeHead(302, { location: back.toString() }).end();
  }

  private token(form: URLSearchParams, res: ServerResponse): void {
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) {
      json(res, 401, entraError('invalid_client', 7000215, 'Invalid client secret provided.'));
      return;
    }
    const scope = form.get('scope') ?? '';
    switch (form.get('grant_type')) {
      case 'client_credentials':
        json(res, 200, { token_type: 'Bearer', expires_in: 3599, access_token: `app-at-${++this.tokens}` });
        return;
      case 'authorization_code': {
        const code = this.codes.get(form.get('code') ?? '');
        this.codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        if (!code || code.redirectUri !== form.get('redirect_uri')) {
          json(res, 400, entraError('invalid_grant', 70008, 'The provided authorization code is not valid.'));
        } else if (base64url(createHash('sha256').update(verifier).digest()) !== code.challenge) {
          json(res, 400, entraError('invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge.'));
        } else {
          json(res, 200, this.userTokens(scope));
        }
        return;
      }
      case 'refresh_token': {
        const presented = form.get('refresh_token') ?? '';
        if (!this.refreshTokens.has(presented)) {
          json(
            res,
            400,
            entraError('invalid_grant', 700082, 'The refresh token has expired due to inactivity or was revoked.'),
          );
          return;
        }
        json(res, 200, this.userTokens(scope));
        return;
      }
      default:
        json(res, 400, entraError('unsupported_grant_type', 70003, 'The grant type is not supported.'));
    }
  }

  /** An App+User answer: access token, a new refresh token (they rotate), id token and client info. */
  private userTokens(scope: string): Record<string, unknown> {
    const refreshToken = this.issueRefreshToken();
    const claims = {
      aud: this.clientId,
      iss: `${MICROSOFT}/${this.tenantId}/v2.0`,
      tid: this.tenantId,
      oid: this.user.oid,
      name: this.user.name,
      preferred_username: this.user.username,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 3600,
    };
    return {
      token_type: 'Bearer',
      scope: scope
        .split(' ')
        .filter((s) => s.startsWith('https://'))
        .join(' '),
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: `user-at-${++this.tokens}`,
      refresh_token: refreshToken,
      id_token: `${base64url(Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })))}.${base64url(Buffer.from(JSON.stringify(claims)))}.`,
      client_info: base64url(Buffer.from(JSON.stringify({ uid: this.user.oid, utid: this.tenantId }))),
    };
  }
}

function entraError(error: string, code: number, text: string): Record<string, unknown> {
  return {
    error,
    error_description: `AADSTS${code}: ${text} Trace ID: ${randomUUID()}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
  };
}

function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
