/** The markdown table of bench/README.md, from a results object: ratios against targets, medians with min–max. */
import type { NotificationsResult } from './notifications.js';
import type { ReconcilerResult } from './reconciler.js';
import type { SlackResult } from './slack.js';
import type { Range } from './lib/stats.js';
import type { TeamsResult } from './teams.js';

interface Results {
  at: string;
  mode: string;
  seconds: number;
  machine: {
    cpu: string;
    cores: number;
    memoryGb: number;
    node: string;
    commit: string;
    versions: Record<string, string>;
  };
  slack: SlackResult;
  teams: TeamsResult;
  teamsWithoutGdap: TeamsResult;
  reconciler: ReconcilerResult[];
  notifications: NotificationsResult;
}

const n = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const r = (range: Range, digits = 2) => `${n(range.median, digits)} (${n(range.min, digits)}–${n(range.max, digits)})`;
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

export function renderTable(results: Results): string {
  const { machine, slack, teams, teamsWithoutGdap, notifications } = results;
  const rows: string[] = [
    '| benchmark | measure | ours | baseline | ratio (median, min–max) | target | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| Slack, ${slack.connections} connections, ${slack.rounds}×${slack.seconds} s | ack p99 ms | ${r(slack.ours.p99Ms, 0)} | ${r(slack.bare.p99Ms, 0)} (bare Bolt) | ${r(slack.p99Ratio)} | ≤ 1.5 | ${verdict(slack.p99Ratio.median <= 1.5)} |`,
    `| | ack p50 ms | ${r(slack.ours.p50Ms, 0)} | ${r(slack.bare.p50Ms, 0)} | | | |`,
    `| | requests/s | ${r(slack.ours.requestsPerSecond, 0)} | ${r(slack.bare.requestsPerSecond, 0)} | ${r(slack.throughputRatio)} | ≥ 0.7 | ${verdict(slack.throughputRatio.median >= 0.7)} |`,
    `| Teams, ${teams.rounds}×${teams.messagesPerRound} messages, card ${teams.cardBytes} B | request → card p50 ms (GDAP on, default) | ${r(teams.ours.p50Ms)} | ${r(teams.bare.p50Ms)} (bare botbuilder) | ${r(teams.p50Ratio)} | ≤ 2 | ${verdict(teams.p50Ratio.median <= 2)} |`,
    ...(teams.ours.completeP50Ms
      ? [
          `| | request → card updated with the GDAP link, p50 ms | ${r(teams.ours.completeP50Ms)} | | ${teams.completeP50Ratio ? r(teams.completeP50Ratio) : ''} | | |`,
        ]
      : []),
    `| | request → card p50 ms (GDAP off) | ${r(teamsWithoutGdap.ours.p50Ms)} | ${r(teamsWithoutGdap.bare.p50Ms)} | ${r(teamsWithoutGdap.p50Ratio)} | ≤ 2 | ${verdict(teamsWithoutGdap.p50Ratio.median <= 2)} |`,
  ];
  for (const rec of results.reconciler) {
    const label = `Reconciler, ${rec.customers.toLocaleString('en')} customers + ${rec.relationships.toLocaleString('en')} GDAP, ${rec.rounds} rounds`;
    rows.push(
      `| ${label} | steady-state run ms | ${r(rec.reconcileMs, 0)} | ${r(rec.fetchOnlyMs, 0)} (fetch pages only) | ${r(rec.timeRatio)} | ≤ 1.25 at 100k | ${verdict(rec.timeRatio.median <= 1.25)} |`,
      `| | RSS growth per run MB | ${r(rec.rssGrowthMb, 1)} | | | ≤ 150 | ${verdict(rec.rssGrowthMb.max <= 150)} |`,
      `| | store writes per run, 0 / 100 changes | ${rec.writesWith0Changes} / ${rec.writesWith100Changes} | | | proportional | ${verdict(rec.writesWith100Changes - rec.writesWith0Changes <= 100)} |`,
      `| | first run (existing book recorded) | ${n(rec.firstRunMs / 1000, 1)} s, ${rec.firstRunWrites} writes | | | | |`,
    );
  }
  rows.push(
    `| Notifications, ${notifications.events} over ${notifications.channels} channels, ${notifications.injected429} × 429 injected | per-channel rate / a perfect sender's under Teams' windows and the same 429s | ${r(notifications.perChannelPerSecond)} per s | ${r(notifications.idealPerChannelPerSecond)} per s (perfect sender) | ${r(notifications.shareOfAllowed)} | ≥ 0.9 | ${verdict(notifications.shareOfAllowed.median >= 0.9)} |`,
    `| | 429s for going over a window | ${notifications.window429} | | | | |`,
    `| | lost / duplicated | ${notifications.lost} / ${notifications.duplicated} | | | 0 / 0 | ${verdict(notifications.lost === 0 && notifications.duplicated === 0)} |`,
  );
  const header = [
    `Run ${results.at} (${results.mode}, ${results.seconds} s) at ${machine.commit} on ${machine.cores} × ${machine.cpu}, ${machine.memoryGb} GiB, Node ${machine.node}; ${Object.entries(
      machine.versions,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
  ];
  return [...header, ...rows].join('\n');
}
