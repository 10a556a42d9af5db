import { PermissionError } from './errors.js';
import type { Platform } from './model.js';

/** Who may use the bot (`ALLOWED_TENANT_IDS`, `ALLOWED_SLACK_TEAM_IDS`, `REQUESTERS`; docs/configuration.md). Empty = no limit. */
export interface AccessRules {
  readonly allowedTeamsTenants: readonly string[];
  readonly allowedSlackTeams: readonly string[];
  /** Teams Entra object ids and Slack user ids allowed to create, edit and cancel requests */
  readonly requesters: readonly string[];
}

export const OPEN_ACCESS: AccessRules = { allowedTeamsTenants: [], allowedSlackTeams: [], requesters: [] };

/** Refuse activity from a Teams tenant or Slack workspace outside the allow-list. */
export function checkWorkspace(rules: AccessRules, platform: Platform, tenant: string): void {
  const allowed = platform === 'teams' ? rules.allowedTeamsTenants : rules.allowedSlackTeams;
  if (allowed.length === 0) return;
  const wanted = tenant.toLowerCase();
  if (!allowed.some((t) => t.toLowerCase() === wanted)) {
    throw new PermissionError(
      platform === 'teams'
        ? 'This bot is not enabled for your Microsoft 365 organisation.'
        : 'This bot is not enabled for this Slack workspace.',
    );
  }
}

/** Refuse creating, editing or cancelling requests to people outside `REQUESTERS` (when it is set). */
export function checkRequester(
  rules: AccessRules,
  user: { readonly id: string; readonly aadObjectId?: string | undefined },
): void {
  if (rules.requesters.length === 0) return;
  const ids = [user.id, user.aadObjectId].filter((v): v is string => Boolean(v)).map((v) => v.toLowerCase());
  if (!rules.requesters.some((r) => ids.includes(r.toLowerCase()))) {
    throw new PermissionError(
      'Only the people listed as requesters can create, edit or cancel relationship requests. Ask your bot administrator to add you.',
    );
  }
}
