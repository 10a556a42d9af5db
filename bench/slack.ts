/**
 * Slack: signed `/relationship request relationship …` slash commands under load (autocannon, 10 connections),
 * against our whole server (Bolt behind our route, the command run after the ack, its card posted to a fake Slack
 * Web API) and against a bare Bolt 5 app that only acks the same signed command. Rounds alternate which goes first.
 */
import { createHmac } from 'node:crypto';
import autocannon from 'autocannon';
import { startChild } from './lib/child.js';
import { tempDir } from './lib/quiet.js';
import { ratios, range, type Range } from './lib/stats.js';

const SECRET = 'bench-signing-secret-0123456789abcdef';

export interface SlackResult {
  readonly rounds: number;
  readonly seconds: number;
  readonly connections: number;
  readonly ours: { p50Ms: Range; p99Ms: Range; requestsPerSecond: Range; non2xx: number; errors: number };
  readonly bare: { p50Ms: Range; p99Ms: Range; requestsPerSecond: Range; non2xx: number; errors: number };
  readonly p99Ratio: Range;
  readonly throughputRatio: Range;
  /** commands whose card was posted while the load ran (the rest were acknowledged and still waiting) */
  readonly cardsPostedDuringLoad: number;
}

let serial = 0;
function signedCommand(responseUrl: string): { body: string; headers: Record<string, string> } {
  const n = ++serial;
  const body = new URLSearchParams({
    token: 'unused',
    team_id: 'T0BENCH',
    team_domain: 'bench',
    channel_id: 'C0BENCH',
    channel_name: 'bench',
    user_id: 'U0BENCH',
    user_name: 'bench',
    command: '/relationship',
    text: `request relationship Bench Customer ${n} it@bench${n}.example`,
    api_app_id: 'A0BENCH',
    response_url: responseUrl,
    trigger_id: `1700000000.${n}.bench`,
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
  };
}

async function load(url: string, seconds: number, connections: number, responseUrl: string) {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/slack/events',
        setupRequest: (request) => ({ ...request, ...signedCommand(responseUrl) }),
      },
    ],
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Cards posted so far to the bench channel, as the fake's conversations.history reads them back. */
async function cardsPosted(slackUrl: string): Promise<number> {
  const res = await fetch(`${slackUrl}api/conversations.history`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-bench' },
    body: JSON.stringify({ channel: 'C0BENCH' }),
  });
  const body = (await res.json()) as { messages?: unknown[] };
  return body.messages?.length ?? 0;
}

export async function benchSlack(options: { rounds: number; seconds: number; connections: number }) {
  const slackProcess = await startChild('slack-api-server.ts', []);
  const slack = {
    apiUrl: `${slackProcess.url}api/`,
    responseUrl: (id: string) => `${slackProcess.url}response/${id}`,
  };
  const emulator = await startChild('emulator-server.ts', ['0', '0']);
  const partnerCenterUrl = `${emulator.url}/emulator/partner-center`;
  const bare = await startChild('slack-server.ts', ['bare', SECRET]);
  const responseUrl = slack.responseUrl('bench');
  const runs = { ours: [] as Awaited<ReturnType<typeof load>>[], bare: [] as Awaited<ReturnType<typeof load>>[] };
  let completed = 0;
  try {
    await load(bare.url, 1, options.connections, responseUrl);
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const);
      for (const which of order) {
        if (which === 'bare') {
          runs.bare.push(await load(bare.url, options.seconds, options.connections, responseUrl));
          continue;
        }
        // A fresh bot per run: the commands it acknowledged but had not finished are dropped with it, so they
        // cannot slow the next run (these are the backlog's, not the acks').
        const dir = await tempDir('prb-bench-slack-');
        const ours = await startChild('slack-server.ts', ['ours', SECRET, slack.apiUrl, dir.path, partnerCenterUrl]);
        try {
          await load(ours.url, 1, options.connections, responseUrl);
          const before = await cardsPosted(slackProcess.url);
          runs.ours.push(await load(ours.url, options.seconds, options.connections, responseUrl));
          completed += (await cardsPosted(slackProcess.url)) - before;
        } finally {
          await ours.kill();
          await dir.remove();
        }
      }
    }
  } finally {
    await bare.stop();
    await emulator.stop();
    await slackProcess.stop();
  }
  const summary = (list: Awaited<ReturnType<typeof load>>[]) => ({
    p50Ms: range(list.map((r) => r.p50)),
    p99Ms: range(list.map((r) => r.p99)),
    requestsPerSecond: range(list.map((r) => r.rps)),
    non2xx: list.reduce((sum, r) => sum + r.non2xx, 0),
    errors: list.reduce((sum, r) => sum + r.errors, 0),
  });
  return {
    rounds: options.rounds,
    seconds: options.seconds,
    connections: options.connections,
    ours: summary(runs.ours),
    bare: summary(runs.bare),
    p99Ratio: ratios(
      runs.ours.map((r) => r.p99),
      runs.bare.map((r) => r.p99),
    ),
    cardsPostedDuringLoad: completed,
    throughputRatio: ratios(
      runs.ours.map((r) => r.rps),
      runs.bare.map((r) => r.rps),
    ),
  } satisfies SlackResult;
}
