/**
 * The Teams app package: manifest/manifest.json against the official schema bundled in @microsoft/app-manifest
 * (offline), its command list against the core's, real icons, and `npm run package:teams` run as a process.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import {
  AppPackageError,
  fillManifest,
  MANIFEST_DIR,
  readManifestTemplate,
} from '../../../src/adapters/teams/app-package.js';
import { COMMANDS, findCommand } from '../../../src/core/commands/registry.js';
import { PACKAGE_ROOT } from '../../../src/paths.js';
import { tempDir } from '../../support/temp.js';

const APP_ID = '8d7a2b5e-1c3f-4e6a-9b0d-2f4e6a8c0b1d';
const SETTINGS = { appId: APP_ID, publicUrl: 'https://bot.contoso.com' };

async function schemaProblems(manifest: unknown): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(manifest as AppManifest);
}

function png(name: string): PNG {
  return PNG.sync.read(readFileSync(join(MANIFEST_DIR, name)));
}

const COMPILED = import.meta.url.endsWith('.js');
const SCRIPT = COMPILED
  ? [resolve(import.meta.dirname, '../../../scripts/package-teams.js')]
  : ['--import', import.meta.resolve('tsx'), join(PACKAGE_ROOT, 'scripts', 'package-teams.ts')];

/** Run the packager as `npm run package:teams` would, in `cwd`, with only the given bot settings. */
async function runPackager(cwd: string, env: Record<string, string>) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== 'MicrosoftAppId' && k !== 'PUBLIC_URL'),
  );
  const child = spawn(process.execPath, SCRIPT, { cwd, env: { ...clean, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  return { code, stdout, stderr };
}

describe('Teams app package (manifest/)', () => {
  const template = readManifestTemplate();

  describe('manifest.json', () => {
    it('is valid against the bundled official schema, at version 1.22 or newer', async () => {
      const [major, minor] = String(template['manifestVersion']).split('.').map(Number);
      assert.ok(major === 1 && (minor ?? 0) >= 22, `manifestVersion ${String(template['manifestVersion'])}`);
      assert.equal(
        template['$schema'],
        `https://developer.microsoft.com/json-schemas/teams/v${String(template['manifestVersion'])}/MicrosoftTeams.schema.json`,
      );
      assert.deepEqual(await schemaProblems(template), []);
    });

    it('the validator really checks: a broken manifest is refused with the reasons', async () => {
      const broken = { ...template, accentColor: 'blue', bots: [{ botId: 'not-a-guid', scopes: ['everywhere'] }] };
      const problems = await schemaProblems(broken);
      assert.ok(
        problems.some((p) => p.startsWith('/accentColor')),
        problems.join('\n'),
      );
      assert.ok(
        problems.some((p) => p.startsWith('/bots/0/botId')),
        problems.join('\n'),
      );
      assert.ok(
        problems.some((p) => p.startsWith('/bots/0/scopes/0')),
        problems.join('\n'),
      );
    });

    it('declares one bot for team, personal and group chat', () => {
      assert.equal(template.bots.length, 1);
      assert.deepEqual([...(template.bots[0]?.['scopes'] as string[])].sort(), ['groupChat', 'personal', 'team']);
    });

    it("lists exactly the core's commands, in help's order, for every scope", () => {
      const lists = template.bots[0]?.['commandLists'] as {
        scopes: string[];
        commands: { title: string; description: string }[];
      }[];
      assert.equal(lists.length, 1);
      assert.deepEqual([...(lists[0]?.scopes ?? [])].sort(), ['groupChat', 'personal', 'team']);
      assert.deepEqual(
        lists[0]?.commands,
        COMMANDS.map((c) => ({ title: c.triggers[0], description: c.summary })),
      );
      for (const { title, description } of lists[0].commands) {
        assert.equal(findCommand(title)?.command.triggers[0], title, `"${title}" runs its own command`);
        // Teams shows the first 128 characters of a description in the command menu.
        assert.ok(description.length <= 128, `${title}: description is ${description.length} characters`);
      }
    });

    it('names both icons, which are real PNGs: color 192×192, outline 32×32 white on transparent', () => {
      assert.deepEqual(template['icons'], { color: 'color.png', outline: 'outline.png' });
      const color = png('color.png');
      assert.deepEqual([color.width, color.height], [192, 192]);
      for (let i = 3; i < color.data.length; i += 4) assert.equal(color.data[i], 255, 'the color icon is opaque');
      const outline = png('outline.png');
      assert.deepEqual([outline.width, outline.height], [32, 32]);
      let transparent = 0;
      let drawn = 0;
      for (let i = 0; i < outline.data.length; i += 4) {
        if (outline.data[i + 3] === 0) transparent++;
        else {
          drawn++;
          assert.deepEqual([...outline.data.subarray(i, i + 3)], [255, 255, 255], 'outline pixels are white');
        }
      }
      assert.equal(outline.data[3], 0, 'the corners are transparent');
      assert.ok(transparent > 0 && drawn > 0, `${drawn} drawn, ${transparent} transparent`);
    });
  });

  describe('fillManifest', () => {
    it('fills the app and bot id, the valid domain and the version; the result is still schema-valid', async () => {
      const { manifest } = fillManifest(
        template,
        { ...SETTINGS, publicUrl: 'https://bot.contoso.com:8443/teams' },
        '1.2.3',
      );
      assert.equal(manifest.id, APP_ID);
      assert.equal(manifest.bots[0]?.botId, APP_ID);
      assert.deepEqual(manifest.validDomains, ['bot.contoso.com']);
      assert.equal(manifest.version, '1.2.3');
      assert.deepEqual(manifest.bots[0]['commandLists'], template.bots[0]?.['commandLists']);
      assert.deepEqual(await schemaProblems(manifest), []);
    });

    it('warns while the developer links are still placeholders, and not after they are edited', () => {
      assert.equal(fillManifest(template, SETTINGS, '0.1.0').warnings.length, 3);
      const edited = {
        ...template,
        developer: {
          ...template.developer,
          websiteUrl: 'https://contoso.com',
          privacyUrl: 'https://contoso.com/p',
          termsOfUseUrl: 'https://contoso.com/t',
        },
      };
      assert.deepEqual(fillManifest(edited, SETTINGS, '0.1.0').warnings, []);
    });

    it('refuses missing or unusable settings, naming each variable', () => {
      const problems = (settings: { appId: string | undefined; publicUrl: string | undefined }) => {
        try {
          fillManifest(template, settings, '0.1.0');
        } catch (err) {
          assert.ok(err instanceof AppPackageError);
          return err.problems;
        }
        return assert.fail('expected AppPackageError');
      };
      assert.deepEqual(
        problems({ appId: undefined, publicUrl: undefined }).map((p) => p.split(':')[0]),
        ['MicrosoftAppId', 'PUBLIC_URL'],
      );
      assert.match(problems({ ...SETTINGS, appId: 'my-bot' }).join(), /MicrosoftAppId: "my-bot" is not a GUID/);
      assert.match(
        problems({ ...SETTINGS, publicUrl: 'http://bot.contoso.com' }).join(),
        /PUBLIC_URL: .* not an https URL/,
      );
      assert.match(problems({ ...SETTINGS, publicUrl: 'not a url' }).join(), /PUBLIC_URL: .* not an https URL/);
    });
  });

  describe('npm run package:teams', function () {
    it('writes dist/teams-app.zip from .env: the filled manifest and both icons at the root', async () => {
      const dir = await tempDir();
      try {
        await writeFile(join(dir.path, '.env'), `MicrosoftAppId=${APP_ID}\nPUBLIC_URL=https://bot.contoso.com/\n`);
        const run = await runPackager(dir.path, {});
        assert.equal(run.code, 0, run.stderr);
        assert.match(
          run.stdout,
          /Wrote dist\/teams-app\.zip \(\d+ bytes\): app and bot id 8d7a2b5e-.*valid domain bot\.contoso\.com/,
        );
        assert.match(run.stderr, /warning: developer\.privacyUrl is still the placeholder/);
        const files = unzipSync(readFileSync(join(dir.path, 'dist', 'teams-app.zip')));
        assert.deepEqual(Object.keys(files).sort(), ['color.png', 'manifest.json', 'outline.png']);
        const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Record<string, unknown>;
        assert.equal(manifest['id'], APP_ID);
        assert.deepEqual(manifest['validDomains'], ['bot.contoso.com']);
        assert.deepEqual(await schemaProblems(manifest), []);
        assert.deepEqual(Buffer.from(files['color.png'] ?? []), readFileSync(join(MANIFEST_DIR, 'color.png')));
        assert.deepEqual(Buffer.from(files['outline.png'] ?? []), readFileSync(join(MANIFEST_DIR, 'outline.png')));
      } finally {
        await dir.remove();
      }
    });

    it('without the settings: exit 1, one line per missing variable, no zip', async () => {
      const dir = await tempDir();
      try {
        const run = await runPackager(dir.path, { PUBLIC_URL: 'http://localhost:3978' });
        assert.equal(run.code, 1);
        assert.match(
          run.stderr,
          /^Teams app package not built:\n {2}MicrosoftAppId: required .*\n {2}PUBLIC_URL: "http:\/\/localhost:3978" is not an https URL/,
        );
        assert.equal(existsSync(join(dir.path, 'dist')), false);
      } finally {
        await dir.remove();
      }
    });
  });
});
