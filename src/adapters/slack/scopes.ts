/**
 * What the Slack app may do, checked once at start-up (docs/platforms.md#slack-scopes): Slack names the token's
 * scopes in every Web API answer (`x-oauth-scopes`). A missing required scope is an error in the log; the optional
 * history scopes only cost the post-after-crash check, and the log says so once.
 */
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../core/ports.js';

/** Each scope the bot asks for, and what for (the manifest says the same). */
export const REQUIRED_SCOPES: Readonly<Record<string, string>> = {
  commands: 'the /relationship command',
  'chat:write': 'posting and updating cards and notifications',
  'chat:write.public': 'notifications in public channels the bot was not invited to',
  'app_mentions:read': 'requests made by @mentioning the bot',
};

export const OPTIONAL_SCOPES: Readonly<Record<string, string>> = {
  'channels:history': 'after a crash, finding a post it was making in a public channel, so it is not posted twice',
  'groups:history': 'the same in private channels',
};

export async function reportScopes(client: WebClient, logger: Logger): Promise<void> {
  let scopes: string[] | undefined;
  try {
    scopes = (await client.auth.test()).response_metadata?.scopes;
  } catch (err) {
    const refused = (err as { code?: string }).code === 'slack_webapi_platform_error';
    if (refused)
      logger.error({ err }, 'Slack: the bot token was not accepted (auth.test); Slack cannot work until it is');
    else logger.warn({ err }, 'Slack could not be reached to check the app’s scopes; it is asked again when used');
    return;
  }
  if (!scopes) return; // not said: nothing to report
  for (const [scope, use] of Object.entries(REQUIRED_SCOPES)) {
    if (!scopes.includes(scope)) {
      logger.error({ scope }, `Slack: the app lacks the ${scope} scope, needed for ${use}. Add it and reinstall.`);
    }
  }
  const missing = Object.keys(OPTIONAL_SCOPES).filter((s) => !scopes.includes(s));
  if (missing.length > 0) {
    logger.warn(
      { missing },
      `Slack: without ${missing.join(' and ')} the bot cannot check, after a crash, whether a card or notification ` +
        'it was posting went out, so that one post may appear twice. Everything else works.',
    );
  }
}
