/** The HTTP server, the mode and the logs: PORT, HOST, PUBLIC_URL, NODE_ENV, LOG_LEVEL. */
import { z } from 'zod';
import { defineArea } from './area.js';
import { isLoopbackUrl } from './fields.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const NODE_ENVS = ['production', 'development', 'test'] as const;

export const server = defineArea({
  schema: z.object({
    PORT: z.coerce
      .number({ error: 'must be a port number from 0 to 65535, e.g. 3978' })
      .int('must be a whole port number, e.g. 3978')
      .min(0, 'must be a port number from 0 to 65535')
      .max(65535, 'must be a port number from 0 to 65535')
      .default(3978),
    HOST: z.string().optional(),
    PUBLIC_URL: z
      .url({ protocol: /^https?$/, error: 'must be the public https URL of this bot, e.g. https://bot.example.com' })
      .optional(),
    // compared without case: "Production" must not silently mean local mode
    NODE_ENV: z
      .string()
      .transform((v) => v.toLowerCase())
      .pipe(z.enum(NODE_ENVS, { error: 'must be production, development or test (or unset for local mode)' }))
      .optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  }),
  build(e, { production, problem }) {
    if (production && !e.PUBLIC_URL) {
      problem(
        'PUBLIC_URL: required in production — the https address Teams, Slack and Partner Center call, e.g. https://bot.example.com.',
      );
    }
    if (e.PUBLIC_URL && !e.PUBLIC_URL.startsWith('https://') && (production || !isLoopbackUrl(e.PUBLIC_URL))) {
      problem('PUBLIC_URL: must use https (Teams, Slack and Partner Center only call https endpoints).');
    }
    return {
      production,
      logLevel: e.LOG_LEVEL,
      http: {
        host: e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
        port: e.PORT,
        publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
      },
    };
  },
});

/**
 * Production unless NODE_ENV says otherwise: an unknown value (a typo such as "prod") is refused by the schema and,
 * for the rest of the checks, taken as production, so its other problems are reported in the same pass.
 */
export function isProduction(nodeEnv: string | undefined): boolean {
  if (!nodeEnv) return false;
  const value = nodeEnv.toLowerCase();
  return value === 'production' || !(NODE_ENVS as readonly string[]).includes(value);
}
