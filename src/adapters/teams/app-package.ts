/**
 * The Teams app package (manifest/manifest.json + icons, zipped) with the deployment's values filled in: the Azure
 * Bot's app id as app id and bot id, PUBLIC_URL's host as the valid domain, and package.json's version.
 * `npm run package:teams` (scripts/package-teams.ts) validates the result against the official schema and writes it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { PACKAGE_ROOT } from '../../paths.js';

export const MANIFEST_DIR = join(PACKAGE_ROOT, 'manifest');

const GUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const PLACEHOLDER_HOST = /(^|\.)example\.com$/;

export type TeamsManifest = Record<string, unknown> & {
  id: string;
  version: string;
  bots: (Record<string, unknown> & { botId: string })[];
  validDomains: string[];
  developer: Record<string, string>;
};

export interface FilledManifest {
  manifest: TeamsManifest;
  /** things the user should still edit by hand (placeholder developer links) — not fatal */
  warnings: string[];
}

/** Thrown with one line per missing or unusable setting, each naming the variable and the fix. */
export class AppPackageError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'AppPackageError';
  }
}

export function readManifestTemplate(dir = MANIFEST_DIR): TeamsManifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as TeamsManifest;
}

/** What the package needs from the deployment (only these two settings: no secrets are needed to build it). */
export interface PackageSettings {
  /** MicrosoftAppId */
  readonly appId: string | undefined;
  /** PUBLIC_URL */
  readonly publicUrl: string | undefined;
}

/** The template with this deployment's values; throws AppPackageError when the settings cannot fill it. */
export function fillManifest(template: TeamsManifest, settings: PackageSettings, version: string): FilledManifest {
  const problems: string[] = [];
  const { appId, publicUrl } = settings;
  if (!appId) problems.push("MicrosoftAppId: required for the Teams app package — set it to your Azure Bot's app id.");
  else if (!GUID.test(appId))
    problems.push(`MicrosoftAppId: "${appId}" is not a GUID — copy the app id from your Azure Bot.`);
  const host = httpsHost(publicUrl);
  if (!publicUrl)
    problems.push('PUBLIC_URL: required for the Teams app package — set it to the https URL Teams calls the bot on.');
  else if (!host) problems.push(`PUBLIC_URL: "${publicUrl}" is not an https URL — Teams only calls bots over https.`);
  if (problems.length > 0 || !appId || !host) throw new AppPackageError(problems);

  const manifest: TeamsManifest = {
    ...template,
    id: appId,
    version,
    bots: template.bots.map((bot) => ({ ...bot, botId: appId })),
    validDomains: [host],
  };
  const warnings = Object.entries(template.developer)
    .filter(([key, value]) => key.endsWith('Url') && PLACEHOLDER_HOST.test(httpsHost(value) ?? ''))
    .map(([key, value]) => `developer.${key} is still the placeholder ${value} — edit manifest/manifest.json.`);
  return { manifest, warnings };
}

/** The zip Teams accepts: the manifest and both icons at the root. */
export function zipAppPackage(manifest: TeamsManifest, dir = MANIFEST_DIR): Uint8Array {
  return zipSync({
    'manifest.json': new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
    'color.png': readFileSync(join(dir, 'color.png')),
    'outline.png': readFileSync(join(dir, 'outline.png')),
  });
}

function httpsHost(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? parsed.hostname : undefined;
  } catch {
    return undefined;
  }
}
