import type { AppOverrides } from '../../src/app.js';
import type { Environment } from '../../src/config.js';
import { FakeBotConnector } from '../fakes/bot-connector.js';
import { startTestApp } from './app.js';
import { fixture, type Json } from './payloads.js';

export { stringsOf, type Json } from './payloads.js';

/** A recorded Teams payload from test/fixtures/teams/. */
export function teamsFixture(name: string, vars: Record<string, string> = {}): Json {
  return fixture('teams', name, vars);
}

/** The app (Teams on, no authentication) and a fake Bot Connector that its replies go to. */
export async function teamsHarness(env: Environment = {}, overrides: AppOverrides = {}) {
  const connector = await FakeBotConnector.start();
  const app = await startTestApp(env, overrides);
  let nextId = 1;
  return {
    connector,
    app,
    core: app.app.core,
    /** a fixture with the fake connector as serviceUrl and a fresh activity id */
    activity(name: string, vars: Record<string, string> = {}, overrides: Json = {}): Json {
      return { ...teamsFixture(name, { serviceUrl: connector.url, ...vars }), id: `act-${nextId++}`, ...overrides };
    },
    async send(activity: Json, headers: Record<string, string> = {}) {
      const res = await fetch(new URL('/api/messages', app.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Json) : undefined };
    },
    async stop() {
      await app.stop();
      await connector.close();
    },
  };
}

/** The Adaptive Card in a recorded connector call. */
export function cardOf(body: Json): Json {
  const attachments = body['attachments'] as { contentType: string; content: Json }[] | undefined;
  const card = attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  if (!card) throw new Error(`no Adaptive Card in ${JSON.stringify(body).slice(0, 300)}`);
  return card;
}

/** Every string in a card, for "is it shown / is it escaped" checks. */
