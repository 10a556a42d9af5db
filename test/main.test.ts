/**
 * The real entry point as a child process: what an operator sees. Most tests run the compiled `main.js` beside this
 * file (so coverage maps through real source maps); two run `npm start` itself, exactly as the README says: in this
 * checkout (building dist/ first when the sources are newer), and in a deployed copy with production dependencies only.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { baseEnv, startBot as start, watchBot as watch } from './support/bot-process.js';
import { closedPort } from './support/ports.js';
import { eventually } from './support/eventually.js';
import { tempDir } from './support/temp.js';

describe('the process (npm start)', function () {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const children: ChildProcessWithoutNullStreams[] = [];
  const run = (env: Record<string, string>) => {
    const r = start(dir.path, env);
    children.push(r.child);
    return r;
  };

  beforeEach(async () => {
    dir = await tempDir('prb-main-');
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await dir.remove();
  });

  /** `npm start` in `cwd`, the way a person runs it: npm is a shell script around node. */
  const npmStart = (cwd: string) => {
    // Child coverage is off: the compiled dist/ has no source maps back to this build of the sources.
    const { NODE_V8_COVERAGE: _, ...env } = baseEnv();
    const npm = spawn('npm', ['start'], { cwd, env: { ...env, PORT: '0', DATA_DIR: dir.path }, detached: true });
    children.push(npm);
    return { npm, ...watch(npm) };
  };
  const stopGroup = async (npm: ChildProcessWithoutNullStreams) => {
    process.kill(-npm.pid!, 'SIGTERM'); // the whole group, as a terminal's Ctrl-C or a container stop would
    // npm may exit before its node child finishes; the pipes close only when every writer is gone.
    await new Promise((done) => npm.on('close', done));
  };

  it('runs with exactly `npm start`: compiled JavaScript (built first when the sources are newer), one plain playground line, stops on SIGTERM', async function () {
    this.timeout(240_000); // a fresh clone compiles src/ on its first start
    const r = npmStart(PACKAGE_ROOT);
    const url = await r.ready;
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const started = r.lines.find((l) => String(l['msg']).startsWith('Partner Relationship Bot listening'));
    assert.match(String(started?.['msg']), /local mode/);
    assert.ok(existsSync(join(PACKAGE_ROOT, 'dist', 'main.js')), 'runs the build in dist/');
    await eventually(
      () => r.stderr.find((l) => l === `Playground: ${url}/ (open it in a browser; Ctrl-C stops the bot)`),
      'the plain playground line',
    );
    await stopGroup(r.npm);
    assert.ok(
      r.lines.some((l) => l['msg'] === 'stopped'),
      r.stderr.join('\n'),
    );
  });

  it('starts from the build with production dependencies only (what `npm ci --omit=dev` leaves), with no TypeScript', async function () {
    this.timeout(240_000);
    const built = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'scripts', 'build-if-needed.mjs')], {
      encoding: 'utf8',
    });
    assert.equal(built.status, 0, built.stderr);
    // a deployed copy: the build and the files read at run time, no sources, and node_modules holding exactly the
    // production dependency tree (linked from this checkout, as `npm ci --omit=dev` would have installed it)
    const copy = await tempDir('prb-deployed-');
    try {
      for (const path of ['package.json', 'dist', 'scripts', 'cards', 'emulator', 'playground']) {
        await cp(join(PACKAGE_ROOT, path), join(copy.path, path), { recursive: true });
      }
      const tree = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
        cwd: PACKAGE_ROOT,
        encoding: 'utf8',
      });
      const top = new Set(
        tree.stdout
          .split('\n')
          .map((p) => relative(join(PACKAGE_ROOT, 'node_modules'), p).split(sep))
          .filter((parts) => parts[0] && parts[0] !== '..' && parts[0] !== '')
          .map((parts) => (parts[0]?.startsWith('@') ? join(parts[0], parts[1] ?? '') : (parts[0] ?? ''))),
      );
      for (const name of top) {
        await mkdir(dirname(join(copy.path, 'node_modules', name)), { recursive: true });
        await symlink(join(PACKAGE_ROOT, 'node_modules', name), join(copy.path, 'node_modules', name));
      }
      assert.ok(top.has('botbuilder') && top.has('mongodb'), 'the production tree');
      for (const dev of ['typescript', 'tsx', 'mocha']) assert.ok(!top.has(dev), `${dev} is not installed`);

      const r = npmStart(copy.path);
      const url = await r.ready;
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      assert.equal((await fetch(`${url}/`)).status, 200, 'the playground page');
      await stopGroup(r.npm);
    } finally {
      await copy.remove();
    }
  });

  it('starts in local mode with no configuration, logs one clear line, serves health, and stops on SIGTERM', async () => {
    const r = run({ PORT: '0' });
    const url = await r.ready;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const startup = r.lines.find((l) => String(l['msg']).startsWith('Partner Relationship Bot listening'));
    assert.match(
      String(startup?.['msg']),
      /— local mode; store: embedded \(.*data\); Teams: on, without authentication \(local\); Slack: off; Partner Center: emulator \(built in, \/emulator\)/,
    );
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    assert.equal((await fetch(`${url}/readyz`)).status, 200);

    r.child.kill('SIGTERM');
    assert.equal(await r.exit, 0, 'a clean stop within the 10 s budget exits 0');
    const messages = r.lines.map((l) => l['msg']);
    const signal = messages.indexOf('SIGTERM received: shutting down');
    assert.ok(signal >= 0 && messages.indexOf('stopped') > signal, messages.join('\n'));
  });

  it('stops on SIGINT too, and reads .env from its working directory', async () => {
    await writeFile(join(dir.path, '.env'), 'PORT=0\nPARTNER_NAME=Northwind Partners\nLOG_LEVEL=debug\n');
    const r = run({});
    const url = await r.ready;
    await fetch(`${url}/healthz`);
    const request = await eventually(() => r.lines.find((l) => l['msg'] === 'request'), 'the request log line');
    assert.equal(request['level'], 20, 'LOG_LEVEL=debug from .env took effect');
    assert.equal(request['path'], '/healthz');
    r.child.kill('SIGINT');
    assert.equal(await r.exit, 0);
  });

  it('refuses invalid configuration with one line per problem and exit code 1, no stack trace', async () => {
    const r = run({ PORT: 'x', SLACK_BOT_TOKEN: 'xoxb-secret-token-value', MicrosoftAppId: 'nope' });
    await assert.rejects(r.ready);
    assert.equal(await r.exit, 1);
    const err = r.stderr.join('\n');
    assert.match(err, /^Invalid configuration:/);
    assert.match(err, /^ {2}- PORT: must be a port number/m);
    assert.match(err, /^ {2}- MicrosoftAppId: must be a GUID/m);
    assert.doesNotMatch(err, /xoxb-secret-token-value/);
    assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
  });

  it('refuses production without real configuration, naming every variable', async () => {
    const r = run({ NODE_ENV: 'production' });
    assert.equal(await r.exit, 1);
    const err = r.stderr.join('\n');
    for (const key of ['MicrosoftAppId', 'MONGODB_URI', 'PARTNER_CENTER_MODE', 'PUBLIC_URL'])
      assert.match(err, new RegExp(`- ${key}: `));
  });

  it('refuses a second process on the same DATA_DIR, saying why', async () => {
    const first = run({ PORT: '0' });
    await first.ready;
    const second = run({ PORT: '0' });
    assert.equal(await second.exit, 1);
    assert.equal(second.stderr.length, 1, `one plain line: ${second.stderr.join('\n')}`);
    assert.match(second.stderr[0] ?? '', /^Start-up failed: DATA_DIR .* is in use by another bot process \(pid \d+\)/);
    assert.deepEqual(second.lines, [], 'no JSON log lines, no stack');
    first.child.kill('SIGTERM');
    assert.equal(await first.exit, 0);
  });

  it('says in one plain line when the port is taken', async () => {
    const first = run({ PORT: '0' });
    const port = new URL(await first.ready).port;
    const second = run({ PORT: port, DATA_DIR: 'other-data' });
    assert.equal(await second.exit, 1);
    assert.deepEqual(second.stderr, [
      `Start-up failed: PORT: 127.0.0.1:${port} is already in use — stop the other process or set another PORT.`,
    ]);
    first.child.kill('SIGTERM');
    assert.equal(await first.exit, 0);
  });

  it('says in one configuration line when the MongoDB driver cannot read MONGODB_URI, without the password', async () => {
    const r = run({ PORT: '0', MONGODB_URI: 'mongodb://bot:s3cret-pass@db.internal:99999/?replicaSet=rs0' });
    assert.equal(await r.exit, 1);
    const err = r.stderr.join('\n');
    assert.match(err, /^Invalid configuration:\n {2}- MONGODB_URI: the MongoDB driver cannot read it \(/);
    assert.doesNotMatch(err, /s3cret-pass/);
    assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
  });

  it('refuses an unusable draft template at start-up', async () => {
    await writeFile(join(dir.path, 'draft.txt'), 'Hello {{customerName}}, no link here');
    const r = run({ PORT: '0', DRAFT_TEMPLATE: 'draft.txt' });
    assert.equal(await r.exit, 1);
    assert.match(
      r.stderr.join('\n'),
      /DRAFT_TEMPLATE: The draft template is not usable: its first line must be "Subject: …".*\{\{resellerLink\}\}/,
    );
  });

  it('with MongoDB unreachable (closed port): starts, stays live, reports not ready with the reason, stops cleanly', async () => {
    const port = await closedPort();
    const r = run({ PORT: '0', MONGODB_URI: `mongodb://127.0.0.1:${port}/?serverSelectionTimeoutMS=300` });
    const url = await r.ready;
    const startup = r.lines.find((l) => String(l['msg']).startsWith('Partner Relationship Bot listening on '));
    assert.match(
      String(startup?.['store']),
      new RegExp(`MongoDB \\(127\\.0\\.0\\.1:${port}, database partner_relationships\\)`),
    );
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const ready = await fetch(`${url}/readyz`);
    assert.equal(ready.status, 503);
    assert.match(((await ready.json()) as { reason: string }).reason, /MongoDB is unreachable: connect ECONNREFUSED/);
    r.child.kill('SIGTERM');
    assert.equal(await r.exit, 0);
    assert.ok(!r.lines.some((l) => (l['level'] as number) >= 50), 'nothing logged as an error or crash');
  });
});
