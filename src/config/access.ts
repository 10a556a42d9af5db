/** Who may use the bot: ALLOWED_TENANT_IDS, ALLOWED_SLACK_TEAM_IDS, REQUESTERS (empty = no limit). */
import { z } from 'zod';
import { defineArea } from './area.js';
import { guid, list } from './fields.js';

export const access = defineArea({
  schema: z.object({
    ALLOWED_TENANT_IDS: list(guid('a Microsoft 365 tenant id')).default([]),
    ALLOWED_SLACK_TEAM_IDS: list(
      z.string().regex(/^[TE][A-Z0-9]{2,}$/, 'must list Slack team ids such as T0123456789'),
    ).default([]),
    REQUESTERS: list(
      z
        .string()
        .regex(
          /^([UW][A-Z0-9]{2,}|[0-9a-fA-F-]{36})$/,
          'must list Teams Entra object ids (GUIDs) or Slack user ids (U…)',
        ),
    ).default([]),
  }),
  build: (e) => ({
    allowedTenantIds: e.ALLOWED_TENANT_IDS,
    allowedSlackTeamIds: e.ALLOWED_SLACK_TEAM_IDS,
    requesters: e.REQUESTERS,
  }),
});
