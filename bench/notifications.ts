/**
 * Notifications: `events` notifications over `channels` Teams channels, at a fake Bot Connector that enforces Teams'
 * documented per-thread windows (7 in 1 s, 8 in 2 s, 60 in 30 s, 1,800 in an hour: a post over them is answered 429
 * with the Retry-After that would let it through) and on top refuses every `faultEvery`-th call with 429 +
 * Retry-After: 1.
 *
 * "Allowed" is what a perfect sender would achieve against the same connector: it posts the same number of messages
 * to the channel, each at the earliest moment every window allows, and meets the same injected refusals at the same
 * points (before the same successful post), waiting out each Retry-After. The ratio is that sender's time over ours.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PLATFORM_WINDOWS, type RateWindow } from '../src/core/outbox/pacing.js';
import { startChild } from './lib/child.js';
import { sleep } from './lib/quiet.js';
import { range, type Range } from './lib/stats.js';

export interface NotificationsResult {
  readonly events: number;
  readonly channels: number;
  /** the connector's injected refusals, and those for going over a window (our limiter's misses) */
  readonly injected429: number;
  readonly window429: number;
  readonly seconds: number;
  readonly perChannelPerSecond: Range;
  readonly idealPerChannelPerSecond: Range;
  /** per channel, the perfect sender's time over ours */
  readonly shareOfAllowed: Range;
  readonly lost: number;
  readonly duplicated: number;
}

interface ChannelLog {
  /** when each accepted post arrived */
  readonly posts: number[];
  /** for each injected refusal, how many posts had been accepted before it */
  readonly refusedBefore: number[];
  window429: number;
}

/** Wait needed before a post at `now` fits every window, given earlier accepted posts (oldest first). */
function waitFor(windows: readonly RateWindow[], posts: readonly number[], now: number): number {
  let at = now;
  for (const window of windows) {
    const nth = posts[posts.length - window.count];
    if (nth !== undefined) at = Math.max(at, nth + window.ms);
  }
  return at - now;
}

/** The perfect sender's time from its first to its last post, facing the same injected refusals. */
export function idealSeconds(windows: readonly RateWindow[], count: number, refusedBefore: readonly number[]): number {
  const posts: number[] = [];
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += waitFor(windows, posts, t);
    for (const at of refusedBefore) if (at === i) t += 1_000 + waitFor(windows, posts, t + 1_000);
    posts.push(t);
  }
  return ((posts.at(-1) ?? 0) - (posts[0] ?? 0)) / 1000;
}

export async function benchNotifications(options: { events: number; channels: number; faultEvery: number }) {
  const windows = PLATFORM_WINDOWS.teams;
  const logs = new Map<string, ChannelLog>();
  const seen = new Map<string, number>();
  let calls = 0;
  let injected = 0;
  const refuse = (res: ServerResponse, seconds: number) => {
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(seconds) });
    res.end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'throttled' } }));
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls++;
      const now = Date.now();
      const channel = decodeURIComponent(/\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '')?.[1] ?? '');
      const log = logs.get(channel) ?? { posts: [], refusedBefore: [], window429: 0 };
      logs.set(channel, log);
      const over = waitFor(windows, log.posts, now);
      if (over > 0) {
        log.window429++;
        refuse(res, Math.ceil(over / 1000));
        return;
      }
      if (calls % options.faultEvery === 0) {
        injected++;
        log.refusedBefore.push(log.posts.length);
        refuse(res, 1);
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const event = /Event (\d+)/.exec(text)?.[1] ?? 'unknown';
      log.posts.push(now);
      seen.set(event, (seen.get(event) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `bench-${calls}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const connectorUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const started = Date.now();
  const bot = await startChild('notify-server.ts', [connectorUrl, String(options.events), String(options.channels)]);
  const deadline = Date.now() + 10 * 60_000;
  while (seen.size < options.events && Date.now() < deadline) await sleep(200);
  await sleep(2_000); // anything posted twice would arrive now
  await bot.stop();
  await new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => {
      resolve();
    });
  });
  const channels = [...logs.values()].filter((log) => log.posts.length > 1);
  const actual = channels.map((log) => ((log.posts.at(-1) ?? 0) - (log.posts[0] ?? 0)) / 1000);
  const ideal = channels.map((log) => idealSeconds(windows, log.posts.length, log.refusedBefore));
  return {
    events: options.events,
    channels: options.channels,
    injected429: injected,
    window429: channels.reduce((sum, log) => sum + log.window429, 0),
    seconds: (Date.now() - started) / 1000,
    perChannelPerSecond: range(channels.map((log, i) => (log.posts.length - 1) / (actual[i] ?? Number.NaN))),
    idealPerChannelPerSecond: range(channels.map((log, i) => (log.posts.length - 1) / (ideal[i] ?? Number.NaN))),
    shareOfAllowed: range(ideal.map((seconds, i) => seconds / (actual[i] ?? Number.NaN))),
    lost: options.events - [...seen.keys()].filter((k) => k !== 'unknown').length,
    duplicated: [...seen.values()].reduce((sum, n) => sum + n - 1, 0),
  } satisfies NotificationsResult;
}
