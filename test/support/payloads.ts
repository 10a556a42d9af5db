/** Recorded platform payloads (test/fixtures/<platform>/) and helpers to look inside what was sent. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';

export type Json = Record<string, unknown>;

/** A recorded payload with `{{name}}` placeholders filled inside string values (never spliced into JSON text). */
export function fixture(platform: 'teams' | 'slack', name: string, vars: Record<string, string> = {}): Json {
  const raw = JSON.parse(
    readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', platform, `${name}.json`), 'utf8'),
  ) as Json;
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const whole = /^\{\{(\w+)\}\}$/.exec(value);
      if (whole?.[1] && whole[1] in vars) return vars[whole[1]];
      return value.replace(/\{\{(\w+)\}\}/g, (m, key: string) => vars[key] ?? m);
    }
    if (Array.isArray(value)) return value.map(fill);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  return fill(raw) as Json;
}

/** Every string in a payload, for "what does the user see" and "nothing here can ping or link" checks. */
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}
