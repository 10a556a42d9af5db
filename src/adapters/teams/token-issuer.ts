/**
 * Who may have issued a token on /api/messages, checked before botbuilder sees it. botbuilder also accepts
 * "emulator" tokens (audience and app id = the bot) from any tenant's issuer — it adds the token's own tenant to its
 * list of trusted issuers as it reads it — and such a token is not bound to a serviceUrl, so an activity with a
 * made-up serviceUrl would receive the bot's own outgoing token. Accepted here: the Bot Framework channel's issuer;
 * for a SingleTenant or UserAssignedMSI bot also its own tenant's; emulator tokens from elsewhere only when
 * TEAMS_ALLOW_EMULATOR_TOKENS is set. botbuilder then checks the signature, audience, expiry and serviceUrl as before.
 */
import type { Config } from '../../config.js';

export const CHANNEL_ISSUER = 'https://api.botframework.com';

/** Undefined when the token's issuer is acceptable; otherwise why not. */
export function issuerProblem(authorization: string, teams: Config['teams']): string | undefined {
  if (teams.allowEmulatorTokens) return undefined;
  const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return undefined; // not a JWT: botbuilder refuses it
  let issuer: unknown;
  try {
    issuer = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown }).iss;
  } catch {
    return undefined; // unreadable: botbuilder refuses it
  }
  if (issuer === CHANNEL_ISSUER) return undefined;
  const tenant =
    teams.appType === 'SingleTenant' || teams.appType === 'UserAssignedMSI' ? teams.appTenantId : undefined;
  if (
    tenant &&
    (issuer === `https://sts.windows.net/${tenant}/` || issuer === `https://login.microsoftonline.com/${tenant}/v2.0`)
  ) {
    return undefined;
  }
  return `tokens from ${typeof issuer === 'string' ? issuer : 'that issuer'} are not accepted (only the Bot Framework channel's)`;
}
