import { createHmac } from 'node:crypto';
import type { AppOverrides } from '../../src/app.js';
import type { Environment } from '../../src/config.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { startTestApp } from './app.js';
import { fixture, type Json } from './payloads.js';

export { eventually } from './eventually.js';

export { stringsOf, type Json } from './payloads.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const NOTIFY_CHANNEL = 'C0NOTIFY';

/** A recorded Slack payload from test/fixtures/slack/. */
export function slackFixture(name: string, vars: Record<string, string> = {}): Json {
  return fixture('slack', name, vars);
}

export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function formBody(fields: Json): string {
  return new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString();
}

/** Interactivity arrives as a form with one `payload` field holding the JSON. */
export function payloadBody(payload: Json): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface SendOptions {
  contentType?: string;
  timestamp?: number;
  signature?: string;
  headers?: Record<string, string>;
}

/** The app with Slack on, pointed at a fake Slack Web API. */
export async function slackHarness(env: Environment = {}, overrides: AppOverrides = {}) {
  const slack = await FakeSlackApi.start();
  const app = await startTestApp(
    {
      TEAMS_ENABLED: 'false',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_NOTIFY_CHANNEL: NOTIFY_CHANNEL,
      ...env,
    },
    overrides,
  );
  let triggers = 1;
  return {
    slack,
    app,
    core: app.app.core,
    nextTrigger: () => `1700000000.${triggers++}.trigger`,
    async send(body: string, options: SendOptions = {}) {
      const timestamp = options.timestamp ?? Math.floor(app.app.core.clock.now().getTime() / 1000);
      const started = Date.now();
      const res = await fetch(new URL('/slack/events', app.url), {
        method: 'POST',
        headers: {
          'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': options.signature ?? sign(body, timestamp),
          ...options.headers,
        },
        body,
      });
      const text = await res.text();
      let json: Json | undefined;
      try {
        json = text ? (JSON.parse(text) as Json) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, text, json, ms: Date.now() - started };
    },
    async stop() {
      await app.stop();
      await slack.close();
    },
  };
}
