/**
 * A fake Bot Framework token issuer: the OpenID metadata document and signing keys that botbuilder fetches to check
 * the `Authorization: Bearer …` of every request from Teams (docs/platforms.md#teams), plus a signer for tokens shaped
 * like the channel's (RS256, `iss` https://api.botframework.com, `aud` = the bot's app id, `serviceurl` claim). The
 * app is pointed at it with the `botOpenIdMetadataUrl` override; everything else is botbuilder's public-cloud setup.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export const CHANNEL_ISSUER = 'https://api.botframework.com';

export interface ChannelClaims {
  aud: string;
  serviceurl: string;
  iss?: string;
  /** seconds since the epoch; default one hour from now */
  exp?: number;
  nbf?: number;
  /** what an Emulator-style (Entra) token carries: its tenant, the calling app, the token version */
  tid?: string;
  appid?: string;
  ver?: string;
}

export class FakeBotOpenId {
  private constructor(
    private readonly server: Server,
    readonly metadataUrl: string,
    private readonly key: KeyObject,
    readonly keyId: string,
  ) {}

  static async start(): Promise<FakeBotOpenId> {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyId = 'fake-bot-key';
    const jwk = publicKey.export({ format: 'jwk' });
    let base = '';
    const server = createServer((req, res) => {
      const send = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/v1/.well-known/openidconfiguration') {
        send({
          issuer: CHANNEL_ISSUER,
          jwks_uri: `${base}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        });
      } else if (req.url === '/v1/.well-known/keys') {
        send({ keys: [{ ...jwk, kid: keyId, use: 'sig', endorsements: ['msteams'] }] });
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return new FakeBotOpenId(server, `${base}/v1/.well-known/openidconfiguration`, privateKey, keyId);
  }

  /** A channel token signed with this issuer's key (or with `otherKey`, to forge one). */
  token(claims: ChannelClaims, otherKey?: KeyObject): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: this.keyId };
    const payload = { iss: CHANNEL_ISSUER, nbf: now - 60, exp: now + 3600, ...claims };
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const signed = `${encode(header)}.${encode(payload)}`;
    const signature = sign('RSA-SHA256', Buffer.from(signed), otherKey ?? this.key).toString('base64url');
    return `${signed}.${signature}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((ok, fail) =>
      this.server.close((err) => {
        err ? fail(err) : ok();
      }),
    );
  }
}
