/**
 * The container files, checked without a Docker engine (none runs on the CI machines): the image is multi-stage,
 * runs compiled code as a non-root user with production dependencies only and a /healthz healthcheck, copies only
 * files that exist; compose runs the bot and MongoDB with a volume and healthchecks. And every package the running
 * code imports is a production dependency, so the image's `npm ci --omit=dev` has all it needs.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../src/paths.js';

const read = (file: string) => readFileSync(join(PACKAGE_ROOT, file), 'utf8');

/** Dockerfile instructions, continuation lines joined. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

describe('Dockerfile', () => {
  const steps = instructions(read('Dockerfile'));
  const stages = steps.flatMap((s, i) => (s.op === 'FROM' ? [i] : []));
  const final = steps.slice(stages.at(-1));

  it('builds in stages and ships only production dependencies and compiled code', () => {
    assert.ok(stages.length >= 2, 'multi-stage');
    const fromDeps = final.find((s) => s.op === 'COPY' && s.args.includes('node_modules'));
    const depsStage = /--from=(\w+)/.exec(fromDeps?.args ?? '')?.[1];
    assert.ok(depsStage, 'node_modules come from another stage');
    const depsSteps = steps.slice(steps.findIndex((s) => s.op === 'FROM' && s.args.endsWith(`AS ${depsStage}`)));
    assert.ok(
      depsSteps.some((s) => s.op === 'RUN' && /npm ci .*--omit=dev/.test(s.args)),
      'the dependencies stage installs with --omit=dev',
    );
    assert.ok(
      final.some((s) => s.op === 'COPY' && /--from=\w+ .*\/app\/dist/.test(s.args)),
      'compiled dist/ copied',
    );
    assert.ok(
      final.some((s) => s.op === 'CMD' && s.args.includes('dist/main.js')),
      'runs the compiled entry, not tsx (a devDependency)',
    );
    assert.match(read('tsconfig.build.json'), /"outDir": "dist"/);
    assert.match(read('tsconfig.build.json'), /"rootDir": "src"/);
  });

  it('runs as a non-root user, with a healthcheck on /healthz and production mode', () => {
    const user = final.filter((s) => s.op === 'USER').at(-1);
    assert.ok(user && !/^(root|0)(:|$)/.test(user.args), `non-root user, got ${user?.args ?? 'none'}`);
    assert.ok(final.findIndex((s) => s.op === 'USER') < final.findIndex((s) => s.op === 'CMD'));
    const health = final.find((s) => s.op === 'HEALTHCHECK');
    assert.match(health?.args ?? '', /\/healthz/);
    assert.match(final.find((s) => s.op === 'ENV')?.args ?? '', /NODE_ENV=production/);
  });

  it('copies only paths that exist, and the files read at run time', () => {
    const copied = steps
      .filter((s) => s.op === 'COPY' && !s.args.includes('--from='))
      .flatMap((s) =>
        s.args
          .split(/\s+/)
          .filter((a) => !a.startsWith('--'))
          .slice(0, -1),
      );
    for (const path of copied) assert.ok(existsSync(join(PACKAGE_ROOT, path)), `COPY ${path}`);
    for (const runtime of ['cards', 'emulator', 'playground']) assert.ok(copied.includes(runtime), runtime);
  });

  it('keeps secrets and local state out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['.env', 'node_modules', '.git', 'data']) assert.ok(ignored.includes(entry), entry);
  });
});

describe('docker-compose.yml', () => {
  interface Service {
    image?: string;
    build?: unknown;
    env_file?: unknown;
    environment?: Record<string, string | undefined>;
    volumes?: string[];
    depends_on?: Record<string, { condition: string }>;
    healthcheck?: { test: string[] };
  }
  const compose = parse(read('docker-compose.yml')) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };

  it('runs the bot and MongoDB, with data on a named volume', () => {
    const { bot, mongo } = compose.services;
    assert.ok(bot?.build, 'the bot is built from the Dockerfile');
    assert.match(mongo?.image ?? '', /^mongo:\d/);
    const volume = mongo?.volumes?.find((v) => v.endsWith(':/data/db'))?.split(':')[0];
    assert.ok(volume && volume in compose.volumes, 'a named volume holds /data/db');
    assert.equal(bot.environment?.['MONGODB_URI']?.startsWith('mongodb://mongo:27017'), true);
    assert.equal(bot.environment['NODE_ENV'], 'production');
    assert.equal(bot.env_file, '.env');
  });

  it('health-checks both and starts the bot once MongoDB is healthy', () => {
    const { bot, mongo } = compose.services;
    assert.match(mongo?.healthcheck?.test.join(' ') ?? '', /ping/);
    assert.match(bot?.healthcheck?.test.join(' ') ?? '', /\/healthz/);
    assert.deepEqual(bot?.depends_on, { mongo: { condition: 'service_healthy' } });
  });
});

describe('production dependencies', () => {
  it('holds every package the running code imports (the image installs no devDependencies)', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const builtins = new Set(builtinModules);
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    const missing: string[] = [];
    const seen = new Set<string>();
    for (const file of files(join(PACKAGE_ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/^import (?!type )[^;]*?from '([^'.][^']*)'/gms)) {
        const specifier = match[1] ?? '';
        if (specifier.startsWith('node:') || builtins.has(specifier)) continue;
        const name = specifier.startsWith('@')
          ? specifier.split('/').slice(0, 2).join('/')
          : (specifier.split('/')[0] ?? '');
        seen.add(name);
        if (!(name in pkg.dependencies)) missing.push(`${relative(PACKAGE_ROOT, file)}: ${name}`);
      }
    }
    assert.deepEqual(missing, []);
    for (const known of ['botbuilder', '@slack/bolt', 'mongodb', 'express', 'adaptivecards-templating']) {
      assert.ok(seen.has(known), `the scan found ${known}`);
    }
    // the playground's renderer is served from node_modules at run time
    assert.ok('adaptivecards' in pkg.dependencies);
  });
});
