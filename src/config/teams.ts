/** Microsoft Teams through the Bot Framework: TEAMS_ENABLED and botbuilder's own MicrosoftApp* names. */
import { z } from 'zod';
import { defineArea } from './area.js';
import { flag, guid } from './fields.js';

const APP_TYPES = {
  multitenant: 'MultiTenant',
  singletenant: 'SingleTenant',
  userassignedmsi: 'UserAssignedMSI',
} as const;

export const teams = defineArea({
  schema: z.object({
    TEAMS_ENABLED: flag(true),
    MicrosoftAppId: guid('the Azure Bot app id').optional(),
    MicrosoftAppPassword: z.string().optional(),
    MicrosoftAppType: z
      .string()
      .transform((v) => v.toLowerCase())
      .pipe(
        z.enum(['multitenant', 'singletenant', 'userassignedmsi'], {
          error: 'must be SingleTenant, UserAssignedMSI or MultiTenant',
        }),
      )
      .transform((v) => APP_TYPES[v])
      .optional(),
    MicrosoftAppTenantId: guid('the Entra tenant of the bot app').optional(),
    TEAMS_ALLOW_EMULATOR_TOKENS: flag(false),
  }),
  build(e, { production, problem, warn }) {
    const appType = e.MicrosoftAppType;
    if (e.TEAMS_ENABLED && production && !e.MicrosoftAppId) {
      problem(
        'MicrosoftAppId: required in production while Teams is on — set it to your Azure Bot app id, or set TEAMS_ENABLED=false.',
      );
    }
    if (e.MicrosoftAppId) {
      if ((appType === 'SingleTenant' || appType === 'UserAssignedMSI') && !e.MicrosoftAppTenantId) {
        problem(
          `MicrosoftAppTenantId: required when MicrosoftAppType=${appType} — set it to the bot app's Entra tenant id.`,
        );
      }
      if (appType === 'UserAssignedMSI' && e.MicrosoftAppPassword) {
        problem(
          'MicrosoftAppPassword: must be empty when MicrosoftAppType=UserAssignedMSI (the managed identity signs in).',
        );
      }
      if (appType !== 'UserAssignedMSI' && !e.MicrosoftAppPassword) {
        problem('MicrosoftAppPassword: required with MicrosoftAppId — set it to a client secret of the bot app.');
      }
    } else if (e.MicrosoftAppPassword || e.MicrosoftAppTenantId || appType) {
      problem('MicrosoftAppId: missing, but other MicrosoftApp* keys are set — set MicrosoftAppId or remove them.');
    }
    if (e.TEAMS_ALLOW_EMULATOR_TOKENS && e.MicrosoftAppId) {
      warn(
        'TEAMS_ALLOW_EMULATOR_TOKENS=true: /api/messages accepts Bot Framework Emulator tokens from any tenant, which are not bound to a serviceUrl. For development only.',
      );
    }
    return {
      enabled: e.TEAMS_ENABLED,
      /** false only when MicrosoftAppId is empty outside production */
      authenticated: Boolean(e.MicrosoftAppId),
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      appType,
      appTenantId: e.MicrosoftAppTenantId,
      /** accept Bot Framework Emulator tokens from any tenant (development against the Emulator only) */
      allowEmulatorTokens: e.TEAMS_ALLOW_EMULATOR_TOKENS,
    };
  },
});
