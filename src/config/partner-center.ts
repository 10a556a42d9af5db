/**
 * Partner Center and Graph: live credentials (PARTNER_TENANT_ID, PARTNER_CENTER_CLIENT_ID / _SECRET / _REFRESH_TOKEN)
 * or the emulator; API bases; the partner's name and MPN id for drafts and links.
 */
import { z } from 'zod';
import { defineArea } from './area.js';
import { guid, httpUrl } from './fields.js';

/** A stand-in partner tenant for emulator mode, so local mode needs no configuration. */
export const EMULATOR_PARTNER_TENANT_ID = '00000000-0000-4000-8000-00000000e001';

export const MICROSOFT_LOGIN = 'https://login.microsoftonline.com';

const CREDENTIALS = [
  'PARTNER_CENTER_CLIENT_ID',
  'PARTNER_CENTER_CLIENT_SECRET',
  'PARTNER_CENTER_REFRESH_TOKEN',
] as const;

export const partnerCenter = defineArea({
  schema: z.object({
    PARTNER_CENTER_MODE: z.enum(['live', 'emulator'], { error: 'must be live or emulator' }).optional(),
    PARTNER_TENANT_ID: guid('your partner tenant id').optional(),
    PARTNER_CENTER_CLIENT_ID: guid('the Entra app registered for Partner Center').optional(),
    PARTNER_CENTER_CLIENT_SECRET: z.string().optional(),
    PARTNER_CENTER_REFRESH_TOKEN: z.string().optional(),
    PARTNER_CENTER_API_URL: httpUrl.transform((v) => v.replace(/\/+$/, '')).optional(),
    GRAPH_API_URL: httpUrl.transform((v) => v.replace(/\/+$/, '')).optional(),
    MICROSOFT_LOGIN_URL: httpUrl.transform((v) => v.replace(/\/+$/, '')).optional(),
    PARTNER_NAME: z.string().max(100, 'must be at most 100 characters').optional(),
    MSPP_ID: z
      .string()
      .regex(/^\d{1,10}$/, 'must be your numeric MPN / Partner ID, or 0')
      .default('0'),
  }),
  build(e, { production, problem }) {
    const mode = e.PARTNER_CENTER_MODE ?? (CREDENTIALS.some((k) => e[k] !== undefined) ? 'live' : 'emulator');
    if (mode === 'emulator' && production) {
      problem(
        'PARTNER_CENTER_MODE: the Partner Center emulator is not available in production — set PARTNER_TENANT_ID, PARTNER_CENTER_CLIENT_ID, PARTNER_CENTER_CLIENT_SECRET and PARTNER_CENTER_REFRESH_TOKEN.',
      );
    }
    if (mode === 'live') {
      for (const key of ['PARTNER_TENANT_ID', ...CREDENTIALS] as const) {
        if (e[key] === undefined) {
          problem(
            `${key}: required for live Partner Center access (PARTNER_CENTER_MODE=live) — see docs/configuration.md.`,
          );
        }
      }
    }
    return {
      mode,
      partnerTenantId: e.PARTNER_TENANT_ID ?? EMULATOR_PARTNER_TENANT_ID,
      clientId: e.PARTNER_CENTER_CLIENT_ID,
      clientSecret: e.PARTNER_CENTER_CLIENT_SECRET,
      refreshToken: e.PARTNER_CENTER_REFRESH_TOKEN,
      /** undefined in emulator mode = the emulator built into this server */
      apiUrl: e.PARTNER_CENTER_API_URL ?? (mode === 'live' ? 'https://api.partnercenter.microsoft.com' : undefined),
      graphUrl: e.GRAPH_API_URL ?? (mode === 'live' ? 'https://graph.microsoft.com/v1.0' : undefined),
      /** the Microsoft identity platform (sign-in and tokens); tests point it at a local fake */
      loginUrl: e.MICROSOFT_LOGIN_URL ?? MICROSOFT_LOGIN,
      partnerName: e.PARTNER_NAME ?? (production ? 'Your Microsoft partner' : 'Contoso Partner (local)'),
      msppId: e.MSPP_ID,
    };
  },
});
