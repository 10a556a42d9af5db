/**
 * Teams: `request relationship …` messages, one at a time, timed from sending the activity until the card arrives at a
 * fake Bot Connector — our whole bot against a bare botbuilder bot replying with a fixed card of the same size.
 * Rounds alternate which goes first.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startChild } from './lib/child.js';
import { tempDir } from './lib/quiet.js';
import { quantile, range, ratios, type Range } from './lib/stats.js';

export interface TeamsResult {
  readonly rounds: number;
  readonly messagesPerRound: number;
  readonly cardBytes: number;
  /** with GDAP on, also when the card was updated in place with the GDAP approval link */
  readonly ours: { p50Ms: Range; p99Ms: Range; completeP50Ms?: Range };
  readonly bare: { p50Ms: Range; p99Ms: Range };
  readonly p50Ratio: Range;
  /** the card with the GDAP link (after its update) against the bare bot's card */
  readonly completeP50Ratio?: Range;
}

interface Arrival {
  readonly at: bigint;
  readonly body: Record<string, unknown>;
}

/**
 * A connector that answers like the Bot Connector and tells whoever waits when a reply to an activity arrives, and
 * when that reply is later updated in place (`update:<activity id>`).
 */
async function startConnector() {
  const waiting = new Map<string, (arrival: Arrival) => void>();
  /** the id we gave each reply → the activity it answered */
  const repliedTo = new Map<string, string>();
  let next = 1;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = process.hrtime.bigint();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      const inPath = /\/activities\/([^/?]+)/.exec(req.url ?? '')?.[1];
      const id = `bench-${next++}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id }));
      let key: string;
      if (req.method === 'PUT') {
        key = `update:${repliedTo.get(decodeURIComponent(inPath ?? '')) ?? ''}`;
      } else {
        key = inPath ? decodeURIComponent(inPath) : typeof body['replyToId'] === 'string' ? body['replyToId'] : '';
        repliedTo.set(id, key);
      }
      waiting.get(key)?.({ at, body });
      waiting.delete(key);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    arrival: (key: string) =>
      new Promise<Arrival>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`nothing for ${key} within 15 s`));
        }, 15_000);
        waiting.set(key, (arrival) => {
          clearTimeout(timer);
          resolve(arrival);
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

let serial = 0;
function message(serviceUrl: string): Record<string, unknown> {
  const n = ++serial;
  const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  return {
    type: 'message',
    id: `bench-${n}`,
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: '29:bench-user', name: 'Bench User', aadObjectId: '6b1f8b8e-1b2c-4d3e-9f00-0000000000a1' },
    conversation: { conversationType: 'personal', tenantId: tenant, id: 'a:bench-chat' },
    recipient: { id: '28:bench-bot', name: 'Partner Relationship Bot' },
    text: `request relationship Bench Customer ${n} it@bench${n}.example`,
    textFormat: 'plain',
    channelData: { tenant: { id: tenant } },
  };
}

/** One message: when its card arrived, and (`withUpdate`) when that card was updated with the GDAP link. */
async function send(url: string, connector: Awaited<ReturnType<typeof startConnector>>, withUpdate = false) {
  const activity = message(connector.url);
  const id = String(activity['id']);
  const started = process.hrtime.bigint();
  const reply = connector.arrival(id);
  const update = withUpdate ? connector.arrival(`update:${id}`) : undefined;
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  await res.arrayBuffer(); // the turn is over before the next message
  const card = await reply;
  const completed = update ? await update : undefined;
  const ms = (arrival: Arrival) => Number(arrival.at - started) / 1e6;
  return { ms: ms(card), completeMs: completed ? ms(completed) : undefined, body: card.body };
}

export async function benchTeams(options: { rounds: number; messages: number; gdap: boolean }) {
  const connector = await startConnector();
  const dir = await tempDir('prb-bench-card-');
  const emulator = await startChild('emulator-server.ts', ['0', '0']);
  const ours = await startChild('teams-server.ts', [
    'ours',
    '',
    String(options.gdap),
    `${emulator.url}/emulator/partner-center`,
  ]);
  // the bare bot answers with our own card, captured from a first request
  const first = await send(ours.url, connector, options.gdap);
  const attachments = first.body['attachments'] as { content: unknown }[];
  const cardJson = JSON.stringify(attachments[0]?.content);
  const cardFile = join(dir.path, 'card.json');
  writeFileSync(cardFile, cardJson);
  const bare = await startChild('teams-server.ts', ['bare', cardFile]);
  const urls = { ours: ours.url, bare: bare.url };
  const p50 = { ours: [] as number[], bare: [] as number[] };
  const p99 = { ours: [] as number[], bare: [] as number[] };
  const completeP50: number[] = [];
  try {
    const updates = { ours: options.gdap, bare: false };
    for (const which of ['ours', 'bare'] as const) {
      for (let i = 0; i < 10; i++) await send(urls[which], connector, updates[which]);
    }
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const);
      for (const which of order) {
        const times: number[] = [];
        const complete: number[] = [];
        for (let i = 0; i < options.messages; i++) {
          const sent = await send(urls[which], connector, updates[which]);
          times.push(sent.ms);
          if (sent.completeMs !== undefined) complete.push(sent.completeMs);
        }
        p50[which].push(quantile(times, 0.5));
        if (complete.length > 0) completeP50.push(quantile(complete, 0.5));
        p99[which].push(quantile(times, 0.99));
      }
    }
  } finally {
    await ours.stop();
    await bare.stop();
    await emulator.stop();
    await connector.close();
    await dir.remove();
  }
  return {
    rounds: options.rounds,
    messagesPerRound: options.messages,
    cardBytes: Buffer.byteLength(cardJson),
    ours: {
      p50Ms: range(p50.ours),
      p99Ms: range(p99.ours),
      ...(completeP50.length > 0 ? { completeP50Ms: range(completeP50) } : {}),
    },
    bare: { p50Ms: range(p50.bare), p99Ms: range(p99.bare) },
    p50Ratio: ratios(p50.ours, p50.bare),
    ...(completeP50.length > 0 ? { completeP50Ratio: ratios(completeP50, p50.bare) } : {}),
  } satisfies TeamsResult;
}
