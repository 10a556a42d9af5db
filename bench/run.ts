/**
 * `npm run bench` (add `-- --quick` for the short run, under 2 minutes): every benchmark runs our code and its baseline
 * side by side and reports ratios; results go to bench/results/latest.json and the table in bench/README.md.
 */
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { PACKAGE_ROOT } from '../src/paths.js';
import { benchNotifications } from './notifications.js';
import { benchReconciler } from './reconciler.js';
import { benchSlack } from './slack.js';
import { benchTeams } from './teams.js';
import { renderTable } from './table.js';

const quick = process.argv.includes('--quick');
const started = Date.now();
const log = (line: string) => {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0)} s] ${line}\n`);
};

function version(name: string): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGb: Math.round(totalmem() / 1024 ** 3),
  node: process.version,
  commit: execSync('git rev-parse --short HEAD', { cwd: PACKAGE_ROOT }).toString().trim(),
  versions: Object.fromEntries(
    ['@slack/bolt', 'botbuilder', 'autocannon', '@seald-io/nedb'].map((name) => [name, version(name)]),
  ),
};

log(quick ? 'quick run' : 'full run');
log('Slack: signed slash commands under load, ours vs bare Bolt');
const slack = await benchSlack(
  quick ? { rounds: 3, seconds: 3, connections: 10 } : { rounds: 5, seconds: 10, connections: 10 },
);
log('Teams: request → card at the connector, ours vs bare botbuilder');
const teams = await benchTeams(
  quick ? { rounds: 3, messages: 40, gdap: true } : { rounds: 5, messages: 200, gdap: true },
);
const teamsWithoutGdap = await benchTeams(
  quick ? { rounds: 3, messages: 40, gdap: false } : { rounds: 5, messages: 200, gdap: false },
);
log('Reconciler: steady-state run vs fetching the same pages');
const reconciler = [await benchReconciler({ customers: 10_000, relationships: 30_000, rounds: quick ? 3 : 5 })];
if (!quick) reconciler.push(await benchReconciler({ customers: 100_000, relationships: 30_000, rounds: 5 }));
log('Notifications: events over 20 channels with 429s injected');
const notifications = await benchNotifications(
  quick ? { events: 400, channels: 20, faultEvery: 20 } : { events: 2_000, channels: 20, faultEvery: 20 },
);

const results = {
  at: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  seconds: Math.round((Date.now() - started) / 1000),
  machine,
  slack,
  teams,
  teamsWithoutGdap,
  reconciler,
  notifications,
};
/** Written as the repository's formatter would, so `npm run lint` stays green after a run. */
async function writeFormatted(path: string, text: string): Promise<void> {
  const options = (await prettier.resolveConfig(path)) ?? {};
  writeFileSync(path, await prettier.format(text, { ...options, filepath: path }));
}

await writeFormatted(join(PACKAGE_ROOT, 'bench', 'results', 'latest.json'), JSON.stringify(results, null, 2));
const readmePath = join(PACKAGE_ROOT, 'bench', 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const begin = '<!-- results:begin -->';
const end = '<!-- results:end -->';
const table = renderTable(results);
await writeFormatted(
  readmePath,
  `${readme.slice(0, readme.indexOf(begin) + begin.length)}\n${table}\n${readme.slice(readme.indexOf(end))}`,
);
log(`done: bench/results/latest.json and bench/README.md (${results.seconds} s)`);
process.stdout.write(`${table}\n`);
