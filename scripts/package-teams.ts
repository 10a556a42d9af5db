/**
 * `npm run package:teams`: build the Teams app package (dist/teams-app.zip) from manifest/ and two settings from the
 * environment or .env — MicrosoftAppId and PUBLIC_URL (no secrets needed) — checked against the official manifest
 * schema that @microsoft/app-manifest bundles.
 * Exit codes: 0 written, 1 missing settings or schema problems (each printed on its own line).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import {
  AppPackageError,
  fillManifest,
  readManifestTemplate,
  zipAppPackage,
} from '../src/adapters/teams/app-package.js';
import { readEnvironment } from '../src/config.js';
import { PACKAGE_ROOT } from '../src/paths.js';

function fail(lines: readonly string[]): never {
  process.stderr.write(`Teams app package not built:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
  process.exit(1);
}

const outDir = join(process.cwd(), 'dist');
try {
  const env = readEnvironment();
  const settings = { appId: env['MicrosoftAppId']?.trim(), publicUrl: env['PUBLIC_URL']?.trim().replace(/\/+$/, '') };
  const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  const { manifest, warnings } = fillManifest(readManifestTemplate(), settings, version);
  const schemaProblems = await AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest);
  if (schemaProblems.length > 0) fail(schemaProblems.map((p) => `manifest/manifest.json: ${p}`));
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'teams-app.zip');
  const zip = zipAppPackage(manifest);
  writeFileSync(file, zip);
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(
    `Wrote ${relative(process.cwd(), file)} (${zip.byteLength} bytes): app and bot id ${manifest.id}, ` +
      `valid domain ${manifest.validDomains.join(', ')}, version ${manifest.version}. ` +
      'Upload it in Teams (Apps → Manage your apps → Upload an app) or the Teams Developer Portal.\n',
  );
} catch (err) {
  if (err instanceof AppPackageError) fail(err.problems);
  throw err;
}
