/**
 * Runs before `npm start`: compile `src/` into `dist/` when `dist/` is missing or older than the sources, so a fresh
 * clone needs nothing but `npm ci && npm start`. Where TypeScript is not installed (`npm ci --omit=dev` on a host
 * that received a built copy), the build present is used as it is; with no build at all it says what to do.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'main.js');

/** The newest modification time among the files that make up the build. */
function newestSource() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of ['src', 'types', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json']) {
    if (existsSync(join(root, path))) visit(join(root, path));
  }
  return newest;
}

function typescriptCompiler() {
  try {
    return createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

const built = existsSync(entry);
if (built && !existsSync(join(root, 'src'))) process.exit(0); // a deployed copy without sources
if (built && statSync(entry).mtimeMs >= newestSource()) process.exit(0);

const tsc = typescriptCompiler();
if (!tsc) {
  if (built) {
    process.stderr.write(
      'dist/ is older than src/, and TypeScript is not installed to rebuild it; starting dist/ as it is.\n',
    );
    process.exit(0);
  }
  process.stderr.write(
    'There is no build (dist/main.js) and TypeScript is not installed to make one. Run `npm ci` (with dev ' +
      'dependencies) and `npm run build`, then copy dist/ with the app, or start from a copy that has it.\n',
  );
  process.exit(1);
}
const started = Date.now();
process.stderr.write(`Compiling src/ into dist/ (${built ? 'sources changed' : 'first start'}) …\n`);
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) {
  process.stderr.write('The TypeScript build failed (above); nothing was started.\n');
  process.exit(result.status ?? 1);
}
process.stderr.write(`Compiled in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
