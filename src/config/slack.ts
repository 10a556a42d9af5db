/** Slack through Bolt: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET turn it on; SLACK_API_URL, SLACK_NOTIFY_CHANNEL. */
import { z } from 'zod';
import { defineArea } from './area.js';
import { httpUrl } from './fields.js';

export const slack = defineArea({
  schema: z.object({
    SLACK_BOT_TOKEN: z
      .string()
      .regex(/^xoxb-\S+$/, 'must be a Slack bot token starting with xoxb-')
      .optional(),
    SLACK_SIGNING_SECRET: z
      .string()
      .regex(/^\S{8,}$/, "must be the app's signing secret (Basic Information page)")
      .optional(),
    SLACK_API_URL: httpUrl.transform((v) => (v.endsWith('/') ? v : `${v}/`)).default('https://slack.com/api/'),
    SLACK_NOTIFY_CHANNEL: z
      .string()
      .regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel id such as C0123456789 (not a #name)')
      .optional(),
  }),
  build(e, { problem, warn }) {
    if (Boolean(e.SLACK_BOT_TOKEN) !== Boolean(e.SLACK_SIGNING_SECRET)) {
      problem(
        e.SLACK_BOT_TOKEN
          ? 'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN — Slack is on only when both are set.'
          : 'SLACK_BOT_TOKEN: required with SLACK_SIGNING_SECRET — Slack is on only when both are set.',
      );
    }
    const enabled = Boolean(e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET);
    if (e.SLACK_NOTIFY_CHANNEL && !enabled) {
      warn('SLACK_NOTIFY_CHANNEL is set but Slack is off (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not both set).');
    }
    return {
      enabled,
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL,
      notifyChannel: e.SLACK_NOTIFY_CHANNEL,
    };
  },
});
