// `npm run test:soak -- [runs]`: build once, then run the whole mocha suite `runs` times (default 10) while another
// process keeps one core busy, as on a shared CI runner. Prints one line per run and the tally; each run's output
// is kept in .test-results/soak/run-N.log. Exit status 0 only when every run passed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const runs = Number.parseInt(process.argv[2] ?? '10', 10);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('usage: npm run test:soak -- [number of runs, default 10]');
  process.exit(2);
}

console.log('soak: building once (npm run typecheck)');
const build = spawnSync('npm', ['run', '--silent', 'typecheck'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const dir = '.test-results/soak';
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

// One core kept busy for the whole soak.
const busy = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
const stopBusy = () => busy.kill('SIGKILL');
process.on('exit', stopBusy);
process.on('SIGINT', () => process.exit(130));
console.log(`soak: ${runs} runs of the whole suite while process ${busy.pid} keeps one core busy`);

let green = 0;
for (let n = 1; n <= runs; n++) {
  const started = Date.now();
  const log = `${dir}/run-${n}.log`;
  rmSync('.test-results/summary.json', { force: true });
  rmSync('.test-results/epilogue.txt', { force: true });
  const mocha = spawnSync('npx', ['--no-install', 'mocha'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  let epilogue = '';
  try {
    epilogue = readFileSync('.test-results/epilogue.txt', 'utf8');
  } catch {
    // no summary: mocha itself failed (see the log)
  }
  writeFileSync(log, `${mocha.stdout}\n${epilogue}\n${mocha.stderr}`);
  let counts = { passed: 0, failed: 1, skipped: 0 };
  try {
    counts = JSON.parse(readFileSync('.test-results/summary.json', 'utf8'));
  } catch {
    // mocha ended before writing its summary: counted as a failed run
  }
  const ok = mocha.status === 0 && counts.failed === 0;
  if (ok) green++;
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(
    `soak: run ${n}/${runs}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped ` +
      `(${seconds} s)${ok ? '' : ` — see ${log}`}`,
  );
  if (!ok) {
    const failing = epilogue.split('\n').filter((l) => /^\s+\d+\) /.test(l));
    for (const line of failing) console.log(`        ${line.trim()}`);
  }
}
stopBusy();
console.log(`soak: ${green} of ${runs} runs green with one core kept busy`);
process.exit(green === runs ? 0 : 1);
