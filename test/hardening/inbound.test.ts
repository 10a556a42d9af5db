/**
 * Hardening of the three inbound routes, in one app with Teams authentication on, Slack on and the emulator's
 * webhooks: unsigned, expired and forged calls are refused with 401 and change nothing (the counts are printed);
 * Slack's retries and Teams' re-sent activity ids never make a second request; and with MongoDB unreachable (the
 * real driver against a closed port) both adapters answer "Storage is unavailable" instead of failing.
 */
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import sinon from 'sinon';
import { emulatorSigningIdentity, CERTIFICATE_FILE, signBody } from '../../src/emulator/webhooks.js';
import { FakeBotConnector } from '../fakes/bot-connector.js';
import { FakeBotOpenId } from '../fakes/bot-openid.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { startTestApp } from '../support/app.js';
import { closedPort } from '../support/ports.js';
import { eventually, formBody, sign, SIGNING_SECRET, slackFixture } from '../support/slack.js';
import { cardOf, stringsOf, teamsFixture } from '../support/teams.js';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const STORE_DOWN = 'Storage is unavailable right now, so nothing was changed.';

describe('hardening: inbound routes', function () {
  let issuer: FakeBotOpenId;
  let connector: FakeBotConnector;
  let slack: FakeSlackApi;
  before(async () => {
    issuer = await FakeBotOpenId.start();
    connector = await FakeBotConnector.start();
    slack = await FakeSlackApi.start();
  });
  after(async () => {
    await issuer.close();
    await connector.close();
    await slack.close();
  });

  /** `authenticated`: Teams checks tokens (replies would then need a real Entra token, so only refusals are tried) */
  const start = (env: Record<string, string> = {}, authenticated = false) =>
    startTestApp(
      {
        ...(authenticated ? { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'a-client-secret' } : {}),
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        ...env,
      },
      { botOpenIdMetadataUrl: issuer.metadataUrl },
    );
  type App = Awaited<ReturnType<typeof start>>;

  const post = async (app: App, path: string, body: string, headers: Record<string, string>) => {
    const res = await fetch(new URL(path, app.url), { method: 'POST', headers, body });
    const text = await res.text();
    return { status: res.status, text };
  };
  const teamsMessage = (text: string, id: string) =>
    JSON.stringify({ ...teamsFixture('personal-message', { serviceUrl: connector.url }), id, text });
  const slashCommand = (text: string, trigger: string) =>
    formBody(slackFixture('slash-command', { text, responseUrl: slack.responseUrl(trigger), triggerId: trigger }));
  const slackHeaders = (body: string, timestamp = Math.floor(Date.now() / 1000), secret = SIGNING_SECRET) => ({
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': sign(body, timestamp, secret),
  });

  it('refuses unsigned, expired and forged calls on all three routes with 401, changing nothing', async () => {
    const app = await start({}, true);
    const refused: Record<string, Record<string, number>> = { teams: {}, slack: {}, partnerCenter: {} };
    const expect401 = async (route: string, kind: string, call: Promise<{ status: number }>) => {
      const { status } = await call;
      assert.equal(status, 401, `${route} ${kind}`);
      const counts = refused[route] ?? {};
      counts[kind] = (counts[kind] ?? 0) + 1;
      refused[route] = counts;
    };
    try {
      // Teams: Bot Framework tokens checked by botbuilder against the fake issuer's keys
      const message = teamsMessage('request relationship Contoso Ltd admin@contoso.com', 'auth-1');
      const json = { 'content-type': 'application/json' };
      const now = Math.floor(Date.now() / 1000);
      const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const token = (claims: Partial<{ exp: number; nbf: number; aud: string }> = {}, key = undefined as never) =>
        issuer.token({ aud: APP_ID, serviceurl: connector.url, ...claims }, key);
      await expect401('teams', 'unsigned', post(app, '/api/messages', message, json));
      await expect401(
        'teams',
        'malformed token',
        post(app, '/api/messages', message, { ...json, authorization: 'Bearer x.y.z' }),
      );
      await expect401(
        'teams',
        'expired',
        post(app, '/api/messages', message, {
          ...json,
          authorization: `Bearer ${token({ exp: now - 600, nbf: now - 4000 })}`,
        }),
      );
      await expect401(
        'teams',
        'forged',
        post(app, '/api/messages', message, {
          ...json,
          authorization: `Bearer ${issuer.token({ aud: APP_ID, serviceurl: connector.url }, otherKey)}`,
        }),
      );
      await expect401(
        'teams',
        'for another bot',
        post(app, '/api/messages', message, { ...json, authorization: `Bearer ${token({ aud: 'another-app' })}` }),
      );

      // Slack: signing secret over the raw body, 5-minute timestamp window
      const command = slashCommand('request relationship Fabrikam Inc it@fabrikam.com', 'auth.1.trigger');
      await expect401(
        'slack',
        'unsigned',
        post(app, '/slack/events', command, { 'content-type': 'application/x-www-form-urlencoded' }),
      );
      await expect401('slack', 'expired', post(app, '/slack/events', command, slackHeaders(command, now - 10 * 60)));
      await expect401(
        'slack',
        'forged',
        post(app, '/slack/events', command, slackHeaders(command, now, 'another-secret')),
      );
      await expect401(
        'slack',
        'signature of another body',
        post(app, '/slack/events', command, {
          ...slackHeaders('text=other'),
          'content-type': 'application/x-www-form-urlencoded',
        }),
      );

      // Partner Center: RSA-SHA256 over the raw body with the emulator's certificate (its test CA trusted here)
      const identity = emulatorSigningIdentity();
      const event = JSON.stringify({
        EventName: 'reseller-relationship-accepted-by-customer',
        ResourceUri: 'https://api.partnercenter.microsoft.com/v1/customers/4b2a6e33-8791-4386-bd2b-0d55baf25039',
        ResourceName: 'Customer',
        ResourceChangeUtcDate: '2026-11-24T09:00:00.0000000+00:00',
      });
      const certificateUrl = `${app.url}/emulator/certs/${CERTIFICATE_FILE}`;
      const signed = (body: string, key: string) => ({
        'content-type': 'application/json',
        authorization: `Signature ${signBody(body, key)}`,
        'x-ms-certificate-url': certificateUrl,
        'x-ms-signature-algorithm': 'rsa-sha256',
      });
      const webhook = '/api/partner-center/webhooks';
      await expect401('partnerCenter', 'unsigned', post(app, webhook, event, { 'content-type': 'application/json' }));
      const rogue = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      });
      await expect401('partnerCenter', 'forged', post(app, webhook, event, signed(event, String(rogue))));
      // Partner Center signs no timestamp; what expires is its certificate: past the emulator's, it is refused
      const clock = sinon.useFakeTimers({ now: new Date('2037-01-01T00:00:00Z'), toFake: ['Date'] });
      try {
        await expect401(
          'partnerCenter',
          'expired certificate',
          post(app, webhook, event, signed(event, identity.privateKeyPem)),
        );
      } finally {
        clock.restore();
      }

      assert.equal(await app.app.core.store.requests.count({}), 0, 'no request made');
      assert.equal(
        await app.app.core.store.outbox.get('event:relationship.accepted:4b2a6e33-8791-4386-bd2b-0d55baf25039'),
        undefined,
      );
      // eslint-disable-next-line no-console -- the hardening counts belong in the test output
      console.log(`      refused with 401: ${JSON.stringify(refused)}`);
      const total = Object.values(refused)
        .flatMap((r) => Object.values(r))
        .reduce((a, b) => a + b, 0);
      assert.equal(total, 12);
    } finally {
      await app.stop();
    }
  });

  it("Slack retries and Teams' re-sent activity ids never duplicate an effect", async () => {
    const app = await start();
    try {
      const message = teamsMessage('request relationship Contoso Ltd admin@contoso.com', 'dup-1');
      for (let i = 0; i < 3; i++) {
        const res = await post(app, '/api/messages', message, { 'content-type': 'application/json' });
        assert.equal(res.status, 200);
      }
      const command = slashCommand('request relationship Fabrikam Inc it@fabrikam.com', 'dup.1.trigger');
      for (const retry of [undefined, '1', '2']) {
        const headers: Record<string, string> = slackHeaders(command);
        if (retry) Object.assign(headers, { 'x-slack-retry-num': retry, 'x-slack-retry-reason': 'http_timeout' });
        assert.equal((await post(app, '/slack/events', command, headers)).status, 200);
      }
      await eventually(() => (slack.of('chat.postMessage').length > 0 ? true : undefined), 'the Slack card');
      const requests = await app.app.core.store.requests.list({ limit: 10 });
      assert.deepEqual(requests.map((r) => r.customerName).sort(), ['Contoso Ltd', 'Fabrikam Inc']);
      assert.equal(connector.posts().length, 1, 'one Teams card');
      assert.equal(slack.of('chat.postMessage').length, 1, 'one Slack card');
    } finally {
      await app.stop();
      connector.reset();
      slack.reset();
    }
  });

  it('with MongoDB unreachable, both adapters answer that storage is unavailable (no 5xx)', async () => {
    const port = await closedPort();
    const app = await start({ MONGODB_URI: `mongodb://127.0.0.1:${port}/?serverSelectionTimeoutMS=300` });
    try {
      const teams = await post(
        app,
        '/api/messages',
        teamsMessage('request relationship Contoso Ltd admin@contoso.com', 'db-1'),
        { 'content-type': 'application/json' },
      );
      assert.equal(teams.status, 200);
      const reply = connector.posts().at(-1);
      assert.ok(reply, 'the Teams reply');
      assert.ok(stringsOf(cardOf(reply.body)).some((s) => s.startsWith(STORE_DOWN)));

      const command = slashCommand('request relationship Fabrikam Inc it@fabrikam.com', 'db.1.trigger');
      const ack = await post(app, '/slack/events', command, slackHeaders(command));
      assert.equal(ack.status, 200);
      // the command cannot be recorded, so it is not accepted: the acknowledgement itself says why
      assert.ok(
        stringsOf(JSON.parse(ack.text)).some((s) => s.includes(STORE_DOWN)),
        ack.text,
      );
      assert.equal((await fetch(new URL('/readyz', app.url))).status, 503);
    } finally {
      await app.stop();
    }
  });
});
