/**
 * Bot Framework authentication on POST /api/messages, checked by botbuilder itself against a fake token issuer
 * (real RS256 tokens, real OpenID metadata and key fetches over HTTP), for each MicrosoftAppType.
 */
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { FakeBotOpenId } from '../../fakes/bot-openid.js';
import { teamsHarness } from '../../support/teams.js';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = '66666666-7777-8888-9999-000000000000';
const OTHER_TENANT = '99999999-8888-7777-6666-555555555555';

const appTypes = [
  { name: 'MultiTenant', env: { MicrosoftAppPassword: 'a-client-secret' } },
  {
    name: 'SingleTenant',
    env: { MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT, MicrosoftAppPassword: 'a-client-secret' },
  },
  { name: 'UserAssignedMSI', env: { MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT } },
];

describe('Teams endpoint authentication', function () {
  let issuer: FakeBotOpenId;
  before(async () => {
    issuer = await FakeBotOpenId.start();
  });
  after(async () => {
    await issuer.close();
  });

  for (const appType of appTypes) {
    describe(appType.name, () => {
      let h: Awaited<ReturnType<typeof teamsHarness>>;
      beforeEach(async () => {
        h = await teamsHarness(
          { MicrosoftAppId: APP_ID, ...appType.env },
          { botOpenIdMetadataUrl: issuer.metadataUrl },
        );
      });
      afterEach(async () => {
        await h.stop();
      });

      /** An invoke that needs no outbound call to answer: refreshing a request that does not exist. */
      const invoke = () =>
        h.activity('invoke-action-verb', { replyToId: 'm-1', requestId: 'RR-ZZZZZ', subject: '', body: '' });
      const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
      const valid = () => issuer.token({ aud: APP_ID, serviceurl: h.connector.url });

      it('accepts a valid channel token and runs the turn', async () => {
        const res = await h.send(invoke(), bearer(valid()));
        assert.equal(res.status, 200);
        assert.equal(
          (res.body?.['value'] as { message: string }).message,
          'There is no request RR-ZZZZZ in this workspace.',
        );
      });

      const refused: [string, () => Record<string, string>][] = [
        ['no Authorization header', () => ({})],
        ['a token that is not a JWT', () => bearer('not-a-jwt')],
        [
          'a token for another bot',
          () => bearer(issuer.token({ aud: '99999999-2222-3333-4444-555555555555', serviceurl: h.connector.url })),
        ],
        [
          'an expired token',
          () =>
            bearer(
              issuer.token({
                aud: APP_ID,
                serviceurl: h.connector.url,
                exp: Math.floor(Date.now() / 1000) - 3600,
                nbf: 0,
              }),
            ),
        ],
        [
          'a token from another issuer',
          () => bearer(issuer.token({ aud: APP_ID, serviceurl: h.connector.url, iss: 'https://evil.example' })),
        ],
        [
          'a token for another serviceUrl',
          () => bearer(issuer.token({ aud: APP_ID, serviceurl: 'https://smba.evil.example/' })),
        ],
        [
          'a token signed with another key',
          () =>
            bearer(
              issuer.token(
                { aud: APP_ID, serviceurl: h.connector.url },
                generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
              ),
            ),
        ],
      ];
      it('answers 401 to an Emulator-style token from another tenant, before botbuilder reads it, and runs nothing', async () => {
        const elsewhere = 'https://smba.attacker.example/';
        const message = { ...h.activity('channel-message-mention'), serviceUrl: elsewhere };
        const token = issuer.token({
          aud: APP_ID,
          appid: APP_ID,
          ver: '1.0',
          tid: OTHER_TENANT,
          iss: `https://sts.windows.net/${OTHER_TENANT}/`,
          serviceurl: elsewhere,
        });
        const res = await h.send(message, bearer(token));
        assert.equal(res.status, 401);
        assert.equal(h.connector.calls.length, 0);
        assert.deepEqual(await h.core.store.requests.list({ limit: 10 }), []);
      });

      for (const [what, headers] of refused) {
        it(`answers 401 to ${what}, runs nothing and does not leak details`, async () => {
          const message = h.activity('channel-message-mention');
          const res = await h.send(message, headers());
          assert.equal(res.status, 401);
          assert.equal(res.body?.['error'], 'unauthorized');
          assert.doesNotMatch(JSON.stringify(res.body), /botframework|Unauthorized\.|stack/);
          assert.equal(h.connector.calls.length, 0);
          assert.deepEqual(await h.core.store.requests.list({ limit: 10 }), []);
          // one refusal line; what botbuilder prints itself (stacks, PEM keys) is one debug line each, in our log
          const entries = h.app.logs.entries();
          const refusals = entries.filter((e) => e.msg.startsWith('Teams request refused') || e.level >= 40);
          assert.equal(refusals.length, headers().authorization ? 1 : 0, JSON.stringify(refusals));
          for (const sdk of entries.filter((e) => e['component'] === 'botbuilder')) {
            assert.equal(sdk.level, 20);
            assert.doesNotMatch(sdk.msg, /\n|BEGIN RSA PUBLIC KEY/);
          }
        });
      }
    });
  }

  it('a SingleTenant bot takes its own tenant’s tokens; TEAMS_ALLOW_EMULATOR_TOKENS opens the door to the rest', async () => {
    const emulatorToken = (tenant: string, serviceurl: string) =>
      issuer.token({
        aud: APP_ID,
        appid: APP_ID,
        ver: '1.0',
        tid: tenant,
        iss: `https://sts.windows.net/${tenant}/`,
        serviceurl,
      });
    const single = await teamsHarness(
      {
        MicrosoftAppId: APP_ID,
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT,
        MicrosoftAppPassword: 's',
      },
      { botOpenIdMetadataUrl: issuer.metadataUrl },
    );
    try {
      const message = single.activity('invoke-action-verb', {
        replyToId: 'm-1',
        requestId: 'RR-ZZZZZ',
        subject: '',
        body: '',
      });
      const own = await single.send(message, {
        authorization: `Bearer ${emulatorToken(TENANT, single.connector.url)}`,
      });
      assert.equal(own.status, 200, 'its own tenant');
      const other = await single.send(message, {
        authorization: `Bearer ${emulatorToken(OTHER_TENANT, single.connector.url)}`,
      });
      assert.equal(other.status, 401, 'another tenant');
    } finally {
      await single.stop();
    }
    const open = await teamsHarness(
      { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 's', TEAMS_ALLOW_EMULATOR_TOKENS: 'true' },
      { botOpenIdMetadataUrl: issuer.metadataUrl },
    );
    try {
      const message = open.activity('invoke-action-verb', {
        replyToId: 'm-1',
        requestId: 'RR-ZZZZZ',
        subject: '',
        body: '',
      });
      const res = await open.send(message, {
        authorization: `Bearer ${emulatorToken(OTHER_TENANT, open.connector.url)}`,
      });
      assert.equal(res.status, 200, 'botbuilder itself takes any tenant’s Emulator token');
    } finally {
      await open.stop();
    }
  });

  it('answers 503 with Retry-After when the signing keys cannot be fetched, and runs nothing', async () => {
    const h = await teamsHarness(
      { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 's' },
      { botOpenIdMetadataUrl: 'http://127.0.0.1:9/none' },
    );
    try {
      const res = await h.send(h.activity('channel-message-mention'), {
        authorization: `Bearer ${issuer.token({ aud: APP_ID, serviceurl: h.connector.url })}`,
      });
      assert.equal(res.status, 503);
      assert.equal(res.body?.['error'], 'auth_unavailable');
      assert.equal(h.connector.calls.length, 0);
    } finally {
      await h.stop();
    }
  });
});
