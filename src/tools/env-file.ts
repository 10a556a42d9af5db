/** Small helpers of the set-up commands: one value in a `.env` file, and the refresh token in an MSAL cache. */
import { chmod, readFile, writeFile } from 'node:fs/promises';

/**
 * Set `key=value` in a `.env` file: the existing line replaced (every other line kept as it was), or a new line
 * added; the file created if missing, readable by its owner only (it holds secrets).
 */
export async function setEnvValue(path: string, key: string, value: string): Promise<void> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const line = `${key}=${value}`;
  const pattern = new RegExp(`^${key}=.*$`, 'm');
  const next = pattern.test(text)
    ? text.replace(pattern, () => line)
    : `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`;
  await writeFile(path, next, { mode: 0o600 });
  await chmod(path, 0o600);
}

/** The refresh token MSAL keeps in its serialized cache (MSAL does not hand it out otherwise). */
export function extractRefreshToken(serializedCache: string): string | undefined {
  const cache = JSON.parse(serializedCache) as { RefreshToken?: Record<string, { secret?: unknown }> };
  for (const entry of Object.values(cache.RefreshToken ?? {})) {
    if (typeof entry.secret === 'string' && entry.secret) return entry.secret;
  }
  return undefined;
}
