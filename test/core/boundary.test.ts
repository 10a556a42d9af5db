import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';

// The TypeScript sources, wherever this test runs from (the compiled test build or src).
const CORE = join(PACKAGE_ROOT, 'src', 'core');

/** Packages the core may use: pure libraries only. Everything else needs a port. */
const ALLOWED_PACKAGES = new Set(['mustache']);

/** Every module specifier a TypeScript source imports or re-exports (static and dynamic). */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*{}\s,]+\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[\w*{}\s,]+\s+from\s+['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) if (match[1]) found.push(match[1]);
  return found;
}

/** Why an import is not allowed in `file` (a path inside src/core), or undefined when it is fine. */
export function violation(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) {
    const target = resolve(dirname(file), specifier);
    return relative(CORE, target).startsWith('..') ? `reaches outside src/core (${specifier})` : undefined;
  }
  const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  return pkg && ALLOWED_PACKAGES.has(pkg) ? undefined : `imports ${specifier}`;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('core boundary (docs/architecture.md)', () => {
  it('src/core imports no platform SDK, database, scheduler, HTTP framework, node I/O or adapter', () => {
    const files = sources(CORE);
    assert.ok(files.length > 20, `expected the core's sources, found ${files.length}`);
    const problems = files.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8')).flatMap((specifier) => {
        const why = violation(file, specifier);
        return why ? [`${relative(CORE, file)} ${why}`] : [];
      }),
    );
    assert.deepEqual(problems, []);
  });

  it('would catch the imports it exists to catch', () => {
    const file = join(CORE, 'commands', 'example.ts');
    const source = [
      "import { CloudAdapter } from 'botbuilder';",
      "import type { App } from '@slack/bolt';",
      "import { MongoClient } from 'mongodb';",
      "import cron from 'node-cron';",
      "import express from 'express';",
      "import { readFile } from 'node:fs/promises';",
      "export { openStore } from '../../adapters/store/open-store.js';",
      "const x = await import('@seald-io/nedb');",
      "import { ok } from '../requests/validation.js';",
      "import Mustache from 'mustache';",
    ].join('\n');
    const flagged = importsOf(source).filter((s) => violation(file, s));
    assert.deepEqual(flagged, [
      'botbuilder',
      '@slack/bolt',
      'mongodb',
      'node-cron',
      'express',
      'node:fs/promises',
      '../../adapters/store/open-store.js',
      '@seald-io/nedb',
    ]);
  });
});
