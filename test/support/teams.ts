import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppOverrides } from '../../src/app.js';
import type { Environment } from '../../src/config.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { FakeBotConnector } from '../fakes/bot-connector.js';
import { startTestApp } from './app.js';

export type Json = Record<string, unknown>;

/** A recorded Teams payload from test/fixtures/teams/, with `{{name}}` placeholders filled (in values, safely). */
export function teamsFixture(name: string, vars: Record<string, string> = {}): Json {
  const raw = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'teams', `${name}.json`), 'utf8')) as Json;
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const whole = /^\{\{(\w+)\}\}$/.exec(value);
      if (whole?.[1] && whole[1] in vars) return vars[whole[1]];
      return value.replace(/\{\{(\w+)\}\}/g, (m, key: string) => vars[key] ?? m);
    }
    if (Array.isArray(value)) return value.map(fill);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  return fill(raw) as Json;
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
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}
