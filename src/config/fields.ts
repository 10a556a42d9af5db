/** Building blocks of the environment schema: each says what is wrong in words that name the fix. */
import cron from 'node-cron';
import { z } from 'zod';

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const guid = (what: string) =>
  z.string().regex(GUID, `must be a GUID (${what}), like 00000000-0000-0000-0000-000000000000`);

export const flag = (def: boolean) =>
  z
    .stringbool({ error: 'must be true or false' })
    .optional()
    .transform((v) => v ?? def);

/** A comma-separated list; blanks between commas are ignored. */
export const list = (item: z.ZodType<string, string>) =>
  z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    )
    .pipe(z.array(item));

export const schedule = (example: string) =>
  z
    .string()
    .refine((v) => cron.validate(v), `must be a cron expression (5 fields, or 6 with seconds), e.g. "${example}"`);

export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname.replace(/^\[|\]$/g, ''));
  } catch {
    return false;
  }
}
