/**
 * Both chat platforms at once against their fakes (Bot Connector, Slack Web API) and the Partner Center emulator,
 * for the end-to-end tests of watching Partner Center and notifying channels.
 */
import type { AppOverrides } from '../../src/app.js';
import type { RelationshipRequest } from '../../src/core/model.js';
import type { RunnerOptions } from '../../src/core/outbox/runner.js';
import type { Environment } from '../../src/config.js';
import { FakeBotConnector } from '../fakes/bot-connector.js';
import { FakeSlackApi, type SlackCall } from '../fakes/slack-api.js';
import { startTestApp } from './app.js';
import { formBody, NOTIFY_CHANNEL, payloadBody, sign, SIGNING_SECRET, slackFixture, eventually } from './slack.js';
import { teamsFixture, type Json } from './teams.js';

export const TEAM = '19:general-sales@thread.tacv2';
export const FAST_WORKER: Partial<RunnerOptions> = {
  pollMs: 100,
  rateWindows: { teams: [{ count: 1, ms: 20 }], slack: [{ count: 1, ms: 50 }] },
  baseBackoffMs: 100,
};

export async function watchHarness(env: Environment = {}, overrides: AppOverrides = {}) {
  const connector = await FakeBotConnector.start();
  const slack = await FakeSlackApi.start();
  const app = await startTestApp(
    {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_NOTIFY_CHANNEL: NOTIFY_CHANNEL,
      ...env,
    },
    { worker: FAST_WORKER, emulatorWebhookRetryDelayMs: 20, ...overrides },
  );
  let ids = 1;
  // the card goes out first, admin access (GDAP) is asked for after it: a request is ready once that is done
  const finished = (r: RelationshipRequest) =>
    !app.app.core.settings.gdap || r.adminAccess !== 'not-requested' || r.adminAccessProblem !== undefined;
  const h = {
    connector,
    slack,
    app,
    core: app.app.core,
    async teams(activity: Json) {
      const res = await fetch(new URL('/api/messages', app.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...activity, id: `act-${ids++}` }),
      });
      return res.status;
    },
    async slackCommand(text: string) {
      const body = formBody(
        slackFixture('slash-command', { text, responseUrl: slack.responseUrl(`c${ids}`), triggerId: `t.${ids++}` }),
      );
      return postSlack(app.url, body);
    },
    /** Install in the team (subscribes General) and ask for Contoso in a channel thread; returns the request. */
    async teamsRequest() {
      await h.teams(teamsFixture('installation-update-add', { serviceUrl: connector.url }));
      await h.teams(teamsFixture('channel-message-mention', { serviceUrl: connector.url }));
      return eventually(
        async () =>
          (await h.core.store.requests.list({ scope: undefined, limit: 50 })).find(
            (r) => r.requester.platform === 'teams' && r.card && finished(r),
          ),
        'the Teams request',
      );
    },
    /** Ask in Slack; returns the request once its card was posted and completed in place (admin access asked for). */
    async slackRequest(text = 'request relationship Fabrikam GmbH it@fabrikam.de domain fabrikam.com') {
      await h.slackCommand(text);
      const completed = (ts: string) =>
        !app.app.core.settings.gdap || slack.of('chat.update').some((c) => c.body['ts'] === ts);
      return eventually(
        async () =>
          (await h.core.store.requests.list({ limit: 50 })).find(
            (r) => r.requester.platform === 'slack' && r.card && finished(r) && completed(r.card.messageId),
          ),
        'the Slack request',
      );
    },
    async control(path: string, body?: Json) {
      // the customer approves (or Microsoft expires or cleans up) only once the asynchronous lock is through
      if (/^gdap\/[^/]+\/(approve|expire|cleanup)$/.test(path)) await app.app.emulator?.webhooks.settled();
      const res = await fetch(new URL(`/emulator/control/${path}`, app.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? '' : JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as Json };
    },
    /**
     * Let webhooks land and the outbox run dry, including jobs waiting to be retried (a customer not shown yet):
     * until nothing moves — the emulator's deliveries and its own changes, and the bot's jobs (which may start more
     * emulator work, e.g. an access assignment that activates a while after it is created).
     */
    async settle() {
      const emulator = app.app.emulator?.webhooks;
      await eventually(async () => {
        await emulator?.settled();
        await eventually(async () => {
          await app.app.worker.idle();
          await app.app.worker.drain();
          return app.app.worker.retrying === 0 || undefined;
        }, 'no job waiting to be retried');
        for (let i = 0; i < 3; i++) {
          await app.app.worker.idle();
          await app.app.worker.drain();
        }
        return emulator?.busy ? undefined : true;
      }, 'the emulator and the jobs settled');
    },
    /** Notifications posted in the Teams channel, by title. */
    teamsNotices(): string[] {
      return connector
        .posts()
        .filter((c) => c.conversationId === TEAM)
        .map((c) => (typeof c.body['summary'] === 'string' ? c.body['summary'] : ''));
    },
    /** Notifications posted in Slack's notify channel: their fallback text. */
    slackNotices(channel = NOTIFY_CHANNEL): string[] {
      return slack
        .of('chat.postMessage')
        .filter((c: SlackCall) => c.body['channel'] === channel && c.body['metadata'])
        .map((c) => String(c.body['text']));
    },
    async stop() {
      await app.stop();
      await connector.close();
      await slack.close();
    },
  };
  return h;
}

export type WatchHarness = Awaited<ReturnType<typeof watchHarness>>;

/** Click a button of a Slack message, signed as Slack signs it. */
export async function slackClick(
  h: Pick<WatchHarness, 'slack' | 'app' | 'core'>,
  messageTs: string,
  actionId: string,
  value: string,
  trigger: string,
  channel = NOTIFY_CHANNEL,
) {
  const payload = slackFixture('block-actions', {
    actionId,
    requestId: '',
    messageTs,
    triggerId: trigger,
    responseUrl: h.slack.responseUrl(trigger),
  });
  const [action] = payload['actions'] as Json[];
  const body = payloadBody({
    ...payload,
    channel: { id: channel, name: 'channel' },
    container: { type: 'message', message_ts: messageTs, channel_id: channel },
    actions: [{ ...action, value }],
  });
  return postSlack(h.app.url, body, h.core.clock.now());
}

/** A form body to the bot's Slack endpoint, signed now (by the bot's clock) as Slack signs it; the HTTP status. */
export async function postSlack(baseUrl: string, body: string, now = new Date()): Promise<number> {
  const ts = Math.floor(now.getTime() / 1000);
  const res = await fetch(new URL('/slack/events', baseUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': sign(body, ts),
    },
    body,
  });
  return res.status;
}
