/**
 * Signing in to Microsoft against a fake identity platform on loopback (OpenID discovery, /authorize, /token): the
 * consent command end to end (PKCE, loopback redirect, the refresh token written to .env and never shown), and the
 * bot's live token path — refresh token → App+User token, app-only tokens, MSAL's cache kept in the store across a
 * restart, and a revoked refresh token → a clear message and `/readyz` saying why. Prints the consent transcript.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { loginNetwork } from '../../../src/adapters/partner-center/login-network.js';
import { MsalTokens, SCOPES, TOKEN_CACHE_KEY } from '../../../src/adapters/partner-center/tokens.js';
import { openEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.js';
import { UpstreamError } from '../../../src/core/errors.js';
import type { Store } from '../../../src/core/ports.js';
import { FakeIdentityPlatform } from '../../fakes/identity-platform.js';
import { startTestApp } from '../../support/app.js';
import { captureLogger } from '../../support/logs.js';
import { closedPort as freePort } from '../../support/ports.js';
import { tempDir } from '../../support/temp.js';

const TENANT = '6f1a2b3c-0000-4000-8000-0000000000aa';
const CLIENT = '0a1b2c3d-0000-4000-8000-0000000000bb';
const SECRET = 'a-client-secret';
const CONSENT = resolve(import.meta.dirname, '../../../src/tools/partner-center-consent.js');

describe('signing in to Microsoft (fake identity platform)', function () {
  let idp: FakeIdentityPlatform;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    idp = await FakeIdentityPlatform.start(TENANT, CLIENT, SECRET);
    dir = await tempDir('prb-signin-');
  });
  afterEach(async () => {
    await idp.close();
    await dir.remove();
  });

  describe('npm run partner-center:consent', () => {
    /** The command as a person runs it, in `dir` with a .env; returns its output and exit code once it ends. */
    const consent = async (port: number) => {
      await writeFile(
        join(dir.path, '.env'),
        `# kept as it is\nPARTNER_TENANT_ID=${TENANT}\nPARTNER_CENTER_CLIENT_ID=${CLIENT}\nPARTNER_CENTER_CLIENT_SECRET=${SECRET}\nMICROSOFT_LOGIN_URL=${idp.url}\nPARTNER_CENTER_REFRESH_TOKEN=old-value\n`,
      );
      const child = spawn(process.execPath, [CONSENT, '--port', String(port), '--timeout', '60'], {
        cwd: dir.path,
        env: { PATH: process.env['PATH'] ?? '' },
      });
      const out: string[] = [];
      const err: string[] = [];
      createInterface({ input: child.stderr }).on('line', (l) => err.push(l));
      const signInUrl = new Promise<string>((found, failed) => {
        createInterface({ input: child.stdout }).on('line', (l) => {
          out.push(l);
          if (l.trim().startsWith('http')) found(l.trim());
        });
        child.on('close', () => {
          failed(new Error(`ended before printing a URL:\n${err.join('\n')}`));
        });
      });
      signInUrl.catch(() => undefined);
      const exit = new Promise<number | null>((done) => child.on('close', done));
      return { out, err, signInUrl, exit };
    };
    /** The browser: open the sign-in URL, follow the identity platform's redirect to the loopback address. */
    const browse = async (url: string) => {
      const signIn = await fetch(url, { redirect: 'manual' });
      assert.equal(signIn.status, 302, await signIn.text());
      const back = signIn.headers.get('location') ?? '';
      const answer = await fetch(back);
      return { back, status: answer.status, page: await answer.text() };
    };

    it('signs in with PKCE on a loopback redirect and writes the refresh token to .env, never to the output', async () => {
      const port = await freePort();
      const run = await consent(port);
      const url = await run.signInUrl;
      assert.ok(url.startsWith(`${idp.url}/${TENANT}/oauth2/v2.0/authorize?`), url);
      const query = new URL(url).searchParams;
      assert.equal(query.get('code_challenge_method'), 'S256');
      assert.equal(query.get('redirect_uri'), `http://localhost:${port}/`);
      assert.match(query.get('scope') ?? '', /user_impersonation/);
      assert.match(query.get('scope') ?? '', /offline_access/);

      const browser = await browse(url);
      assert.equal(browser.status, 200);
      assert.match(browser.page, /Signed in/);
      assert.equal(await run.exit, 0, run.err.join('\n'));

      const env = await readFile(join(dir.path, '.env'), 'utf8');
      const written = /^PARTNER_CENTER_REFRESH_TOKEN=(.+)$/m.exec(env)?.[1] ?? '';
      assert.match(written, /^rt-/, 'the token the identity platform issued');
      assert.ok(env.startsWith('# kept as it is\n'), 'the rest of .env is kept');
      assert.equal(env.match(/PARTNER_CENTER_REFRESH_TOKEN=/g)?.length, 1, 'replaced, not added twice');
      assert.equal((await stat(join(dir.path, '.env'))).mode & 0o777, 0o600, 'readable by its owner only');
      const output = [...run.out, ...run.err].join('\n');
      assert.ok(!output.includes(written), 'the token is never shown');
      assert.match(output, /Signed in as ana@contosopartner\.onmicrosoft\.com/);
      assert.deepEqual(
        idp.calls.filter((c) => c.grantType).map((c) => c.grantType),
        ['authorization_code'],
      );
      // eslint-disable-next-line no-console -- the transcript is what this test shows
      console.log(
        `      consent transcript:\n${[
          ...run.out,
          `(browser → ${browser.back.replace(/code=[^&]+/, 'code=…')} → "${browser.page.replace(/<[^>]+>/g, '').trim()}")`,
        ]
          .map((l) => `        ${l}`)
          .join('\n')}`,
      );

      // and the bot signs in with what was written
      const store = await openEmbeddedStore(join(dir.path, 'data'));
      try {
        const tokens = msal(store, written);
        assert.match(await tokens.partnerCenterUser(), /^user-at-/);
      } finally {
        await store.close();
      }
    });

    it('a refused consent writes nothing and says why', async () => {
      idp.refuseConsent = true;
      const run = await consent(await freePort());
      const browser = await browse(await run.signInUrl);
      assert.equal(browser.status, 400);
      assert.equal(await run.exit, 1);
      assert.match(run.err.join('\n'), /The sign-in was refused: access_denied: AADSTS65004/);
      assert.match(await readFile(join(dir.path, '.env'), 'utf8'), /PARTNER_CENTER_REFRESH_TOKEN=old-value/);
    });
  });

  describe('the live token path', () => {
    let store: Store;
    beforeEach(async () => {
      store = await openEmbeddedStore(join(dir.path, 'data'));
    });
    afterEach(async () => {
      await store.close();
    });

    it('refresh token → App+User token; client credentials → app-only tokens; all from the configured identity platform', async () => {
      const tokens = msal(store, idp.issueRefreshToken());
      assert.match(await tokens.partnerCenterUser(), /^user-at-/);
      assert.match(await tokens.graph(), /^app-at-/);
      assert.match(await tokens.partnerCenterApp(), /^app-at-/);
      const [user] = idp.grants('refresh_token');
      assert.match(user?.scope ?? '', /api\.partnercenter\.microsoft\.com\/user_impersonation/);
      assert.deepEqual(
        idp.grants('client_credentials').map((c) => c.scope),
        [SCOPES.graph[0], SCOPES.partnerCenterApp[0]],
      );
      assert.ok(await store.state.get(TOKEN_CACHE_KEY), 'MSAL’s cache is in the store');
      assert.equal(tokens.signInProblem(), undefined);
    });

    it('a restart signs in from the cache in the store, not from the configured refresh token', async () => {
      await msal(store, idp.issueRefreshToken()).partnerCenterUser();
      const before = idp.grants('refresh_token').length;
      // a second process (or the same after a restart), configured with a token that no longer works
      const restarted = msal(store, 'rt-long-gone');
      assert.match(await restarted.partnerCenterUser(), /^user-at-/);
      assert.equal(idp.grants('refresh_token').length, before, 'the cached access token, no new sign-in');
    });

    it('a revoked refresh token: a clear message, and /readyz says why', async () => {
      const rt = idp.issueRefreshToken();
      idp.revokeAll();
      const app = await startTestApp({
        PARTNER_CENTER_MODE: 'live',
        PARTNER_TENANT_ID: TENANT,
        PARTNER_CENTER_CLIENT_ID: CLIENT,
        PARTNER_CENTER_CLIENT_SECRET: SECRET,
        PARTNER_CENTER_REFRESH_TOKEN: rt,
        MICROSOFT_LOGIN_URL: idp.url,
        PARTNER_CENTER_API_URL: `${idp.url}/partner-center`,
        GRAPH_API_URL: `${idp.url}/graph`,
      });
      try {
        assert.equal((await fetch(`${app.url}/readyz`)).status, 200, 'ready until a sign-in is refused');
        await assert.rejects(app.app.partnerCenter.directory.customer(TENANT), (err: unknown) => {
          assert.ok(err instanceof UpstreamError && !err.retryable);
          assert.match(
            err.message,
            /Microsoft Entra refused the App\+User \(refresh token\) sign-in \(invalid_grant\)/,
          );
          assert.match(err.message, /npm run partner-center:consent/);
          return true;
        });
        const ready = await fetch(`${app.url}/readyz`);
        assert.equal(ready.status, 503);
        const body = (await ready.json()) as { reason?: string };
        assert.match(body.reason ?? '', /invalid_grant.*npm run partner-center:consent/);
      } finally {
        await app.stop();
      }
    });
  });

  function msal(store: Store, refreshToken: string): MsalTokens {
    const network = loginNetwork(idp.url);
    assert.ok(network);
    return new MsalTokens({
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: SECRET,
      refreshToken,
      state: store.state,
      logger: captureLogger().logger,
      networkClient: network,
    });
  }
});
