/**
 * `npm run partner-center:consent` (docs/partner-center.md#consent): the Secure Application Model consent as one
 * command. A partner admin signs in (authorization code with PKCE, through MSAL), the answer comes back to a loopback
 * redirect URI, and the refresh token it yields is written to the `.env` file as PARTNER_CENTER_REFRESH_TOKEN —
 * never printed or logged.
 *
 *   npm run partner-center:consent [-- --port 8400] [--env-file .env] [--timeout 300]
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { parseArgs } from 'node:util';
import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import { loginNetwork } from '../adapters/partner-center/login-network.js';
import { SCOPES } from '../adapters/partner-center/tokens.js';
import { fail } from '../cli.js';
import { readEnvironment } from '../config.js';
import { MICROSOFT_LOGIN } from '../config/partner-center.js';
import { extractRefreshToken, setEnvValue } from './env-file.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Settings {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly loginUrl: string;
  readonly port: number;
  readonly envFile: string;
  readonly timeoutS: number;
}

function settings(): Settings {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8400' },
      'env-file': { type: 'string', default: '.env' },
      timeout: { type: 'string', default: '300' },
    },
  });
  const env = readEnvironment();
  const problems: string[] = [];
  const need = (key: string, check: (v: string) => boolean, what: string) => {
    const value = env[key]?.trim() ?? '';
    if (!check(value)) problems.push(`${key}: ${value ? `not ${what}` : `not set (${what})`}.`);
    return value;
  };
  const tenantId = need('PARTNER_TENANT_ID', (v) => GUID.test(v), 'your partner tenant id, a GUID');
  const clientId = need('PARTNER_CENTER_CLIENT_ID', (v) => GUID.test(v), 'the app registration’s client id, a GUID');
  const clientSecret = need('PARTNER_CENTER_CLIENT_SECRET', (v) => v.length > 0, 'the app registration’s secret');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`--port: ${values.port} is not a port.`);
  const timeoutS = Number(values.timeout);
  if (!(timeoutS > 0)) problems.push(`--timeout: ${values.timeout} is not a number of seconds.`);
  if (problems.length > 0) {
    fail([...problems, 'Set them in .env (see .env.example) and run the command again.']);
  }
  const loginUrl = (env['MICROSOFT_LOGIN_URL']?.trim() || MICROSOFT_LOGIN).replace(/\/+$/, '');
  return { tenantId, clientId, clientSecret, loginUrl, port, envFile: values['env-file'], timeoutS };
}

/** What the browser shows once the sign-in came back: plain text, nothing of the answer echoed. */
function page(text: string): string {
  return `<!doctype html><meta charset="utf-8"><title>Partner Relationship Bot</title><p>${text}</p>`;
}

async function main(): Promise<void> {
  const s = settings();
  const network = loginNetwork(s.loginUrl);
  const app = new ConfidentialClientApplication({
    auth: { clientId: s.clientId, clientSecret: s.clientSecret, authority: `${MICROSOFT_LOGIN}/${s.tenantId}` },
    system: network ? { networkClient: network } : {},
  });
  const redirectUri = `http://localhost:${s.port}/`;
  const scopes = [...SCOPES.partnerCenterUser, 'offline_access'];
  const pkce = await new CryptoProvider().generatePkceCodes();
  const state = randomUUID();

  const server = createServer();
  const answer = new Promise<URLSearchParams>((resolve) => {
    server.on('request', (req, res) => {
      const query = new URL(req.url ?? '/', redirectUri).searchParams;
      if (!query.has('code') && !query.has('error')) {
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(page('Waiting for the sign-in.'));
        return;
      }
      const ok = query.get('state') === state && query.has('code');
      res
        .writeHead(ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          page(
            ok
              ? 'Signed in. You can close this tab and go back to the terminal.'
              : 'The sign-in failed; see the terminal.',
          ),
        );
      resolve(query);
    });
  });
  await listen(server, s.port);

  const signIn = await app.getAuthCodeUrl({
    scopes,
    redirectUri,
    codeChallenge: pkce.challenge,
    codeChallengeMethod: 'S256',
    state,
    prompt: 'select_account',
  });
  const shown = signIn.startsWith(MICROSOFT_LOGIN) ? `${s.loginUrl}${signIn.slice(MICROSOFT_LOGIN.length)}` : signIn;
  process.stdout.write(
    [
      'Sign in as a Partner Center admin of your partner tenant (Admin agent role), with MFA, in a browser:',
      '',
      `  ${shown}`,
      '',
      `Waiting for the answer on ${redirectUri} (register exactly this redirect URI, platform "Web", on the app).`,
      '',
    ].join('\n'),
  );

  const timer = setTimeout(() => {
    server.close();
    fail([`No sign-in came back within ${s.timeoutS} s; nothing was written. Run the command again.`]);
  }, s.timeoutS * 1000);
  const query = await answer;
  clearTimeout(timer);
  server.closeAllConnections();
  server.close();

  if (query.get('state') !== state) fail(['The answer did not carry this sign-in’s state; nothing was written.']);
  const error = query.get('error');
  if (error)
    fail([`The sign-in was refused: ${error}: ${query.get('error_description') ?? ''}`.trim(), 'Nothing was written.']);

  let result;
  try {
    result = await app.acquireTokenByCode({
      code: query.get('code') ?? '',
      redirectUri,
      scopes,
      codeVerifier: pkce.verifier,
    });
  } catch (err) {
    const code = (err as { errorCode?: string }).errorCode ?? 'error';
    fail([`Microsoft Entra refused the sign-in code (${code}): ${(err as Error).message.split('\n')[0] ?? ''}`]);
  }
  if (result.tenantId && result.tenantId.toLowerCase() !== s.tenantId.toLowerCase()) {
    fail([
      `Signed in to tenant ${result.tenantId}, not your partner tenant ${s.tenantId} (PARTNER_TENANT_ID). Nothing was written;`,
      'sign in with an account of the partner tenant.',
    ]);
  }
  const refreshToken = extractRefreshToken(app.getTokenCache().serialize());
  if (!refreshToken) fail(['Microsoft Entra answered without a refresh token (was offline_access refused?).']);
  await setEnvValue(s.envFile, 'PARTNER_CENTER_REFRESH_TOKEN', refreshToken);
  process.stdout.write(
    [
      `Signed in as ${result.account?.username ?? 'the partner admin'} (tenant ${result.tenantId}).`,
      `PARTNER_CENTER_REFRESH_TOKEN was written to ${s.envFile} (not shown here). Restart the bot to use it; it lasts`,
      '90 days from its last use, and the bot keeps it in use while it runs.',
      '',
    ].join('\n'),
  );
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`Port ${port} is taken: choose another with --port (and register it).`)
          : err,
      );
    });
    // localhost as Entra redirects to it; loopback only
    server.listen(port, '127.0.0.1', resolve);
  });
}

main().catch((err: unknown) => {
  fail([(err as Error).message]);
});
