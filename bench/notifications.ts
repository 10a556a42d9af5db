/**
 * Notifications: `events` notifications over `channels` Teams channels, every `faultEvery`-th connector call answered
 * 429 with Retry-After: 1. Measures each channel's achieved posting rate against Teams' allowed 7 messages/s per
 * conversation, and counts what was lost or posted twice.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startChild } from './lib/child.js';
import { sleep } from './lib/quiet.js';
import { range, type Range } from './lib/stats.js';

export const TEAMS_ALLOWED_PER_SECOND = 7;

export interface NotificationsResult {
  readonly events: number;
  readonly channels: number;
  readonly injected429: number;
  readonly seconds: number;
  readonly perChannelPerSecond: Range;
  readonly shareOfAllowed: Range;
  /** leaving out the time each channel was told to wait (Retry-After) */
  readonly shareOfAllowedOutsideWaits: Range;
  readonly lost: number;
  readonly duplicated: number;
}

export async function benchNotifications(options: { events: number; channels: number; faultEvery: number }) {
  const posts = new Map<string, number[]>();
  const throttled = new Map<string, number>();
  const seen = new Map<string, number>();
  let calls = 0;
  let injected = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls++;
      const channel = decodeURIComponent(/\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '')?.[1] ?? '');
      if (calls % options.faultEvery === 0) {
        injected++;
        throttled.set(channel, (throttled.get(channel) ?? 0) + 1);
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'injected' } }));
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const event = /Event (\d+)/.exec(text)?.[1] ?? 'unknown';
      posts.set(channel, [...(posts.get(channel) ?? []), Date.now()]);
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
  const rates = [...posts.values()].map((times) => {
    const seconds = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
    return seconds > 0 ? (times.length - 1) / seconds : Number.NaN;
  });
  // the same, leaving out the seconds the platform asked this channel to wait (Retry-After: 1 per 429)
  const ratesOutsideWaits = [...posts.entries()].map(([channel, times]) => {
    const seconds = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000 - (throttled.get(channel) ?? 0);
    return seconds > 0 ? (times.length - 1) / seconds : Number.NaN;
  });
  return {
    events: options.events,
    channels: options.channels,
    injected429: injected,
    seconds: (Date.now() - started) / 1000,
    perChannelPerSecond: range(rates),
    shareOfAllowed: range(rates.map((r) => r / TEAMS_ALLOWED_PER_SECOND)),
    shareOfAllowedOutsideWaits: range(ratesOutsideWaits.map((r) => r / TEAMS_ALLOWED_PER_SECOND)),
    lost: options.events - [...seen.keys()].filter((k) => k !== 'unknown').length,
    duplicated: [...seen.values()].reduce((sum, n) => sum + n - 1, 0),
  } satisfies NotificationsResult;
}
