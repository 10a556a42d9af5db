// `npm run test:mocha`: the whole mocha suite under c8, then mocha's summary (counts, failure details) and one line
// `tests: N passed, N failed, N skipped` after the coverage table, so the last thing on screen is the verdict.
// Exit status: c8's (failures and the coverage gate both fail it).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const results = '.test-results';
rmSync(`${results}/summary.json`, { force: true });
rmSync(`${results}/epilogue.txt`, { force: true });

const run = spawnSync('npx', ['--no-install', 'c8', 'mocha', ...process.argv.slice(2)], { stdio: 'inherit' });
const status = run.status ?? 1;

if (existsSync(`${results}/epilogue.txt`)) process.stdout.write(readFileSync(`${results}/epilogue.txt`, 'utf8'));
if (existsSync(`${results}/summary.json`)) {
  const { passed, failed, skipped } = JSON.parse(readFileSync(`${results}/summary.json`, 'utf8'));
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
} else {
  console.log('tests: mocha ended before its summary (see the output above)');
}
process.exit(status);
