/** Where requests live: MONGODB_URI, MONGODB_DB, or the embedded store (DATA_DIR, ALLOW_EMBEDDED_STORE). */
import { resolve } from 'node:path';
import { z } from 'zod';
import { defineArea } from './area.js';
import { flag } from './fields.js';

export const store = defineArea({
  schema: z.object({
    MONGODB_URI: z
      .string()
      .regex(
        /^mongodb(\+srv)?:\/\/\S+$/,
        'must be a MongoDB connection string starting with mongodb:// or mongodb+srv://',
      )
      .optional(),
    MONGODB_DB: z
      .string()
      .regex(/^[^/\\. "$*<>:|?]{1,63}$/, 'must be a MongoDB database name: 1-63 characters, none of /\\. "$*<>:|?')
      .default('partner_relationships'),
    DATA_DIR: z.string().default('./data'),
    ALLOW_EMBEDDED_STORE: flag(false),
  }),
  build(e, { production, cwd, problem }) {
    if (production && !e.MONGODB_URI && !e.ALLOW_EMBEDDED_STORE) {
      problem(
        'MONGODB_URI: required in production — the embedded store is for local mode and one instance. Set MONGODB_URI, or ALLOW_EMBEDDED_STORE=true to accept a single-instance file store.',
      );
    }
    return e.MONGODB_URI
      ? { kind: 'mongodb' as const, uri: e.MONGODB_URI, database: e.MONGODB_DB }
      : { kind: 'embedded' as const, dataDir: resolve(cwd, e.DATA_DIR) };
  },
});

/** The password in a MongoDB connection string, as written and decoded (for the log scrubber). */
export function mongoSecrets(uri: string | undefined): string[] {
  const password = uri ? /^mongodb(?:\+srv)?:\/\/[^:@/]*:([^@/]+)@/.exec(uri)?.[1] : undefined;
  if (!uri || !password) return [];
  const values = [uri, password];
  try {
    values.push(decodeURIComponent(password));
  } catch {
    // not percent-encoded; the raw form is already listed
  }
  return values;
}
