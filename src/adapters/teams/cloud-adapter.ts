import {
  type Activity,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import { CallerIdConstants } from 'botframework-schema';
import type { Config } from '../../config.js';
import { DestinationGoneError, RateLimitedError, UpstreamError } from '../../core/errors.js';
import type { Logger } from '../../core/ports.js';
import { textCard } from './cards.js';

/**
 * `CloudAdapter` with its turn runner made reachable. `adapter.process` wraps it but prints every failure with
 * console.error and sends the raw error message (URLs, stack details) as the response body, so our route calls the
 * runner itself and decides what the caller sees.
 */
export class TeamsCloudAdapter extends CloudAdapter {
  runTurn(
    authorization: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }
}

/**
 * botbuilder's CloudAdapter fed from our configuration (botbuilder's own MicrosoftApp* names). An empty app id turns
 * authentication off — config.ts allows that only outside production.
 */
export function createCloudAdapter(
  teams: Config['teams'],
  logger: Logger,
  openIdMetadataUrl?: string,
): TeamsCloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: teams.appId ?? '',
    MicrosoftAppPassword: teams.appPassword ?? '',
    MicrosoftAppType: teams.appType ?? '',
    MicrosoftAppTenantId: teams.appTenantId ?? '',
    ...(openIdMetadataUrl ? publicCloudWithKeysFrom(openIdMetadataUrl) : {}),
  });
  const adapter = new TeamsCloudAdapter(auth);
  // Only bugs reach here (handlers turn expected failures into replies themselves) — and a reply that could not be
  // sent: that one goes on to the route, which tells Teams the turn failed.
  adapter.onTurnError = async (context, error) => {
    if (error instanceof UpstreamError || error instanceof RateLimitedError || error instanceof DestinationGoneError) {
      throw error;
    }
    logger.error({ err: error, activityType: context.activity.type }, 'Teams turn failed');
    if (context.activity.type !== 'message') return;
    try {
      const card = textCard('Sorry, something went wrong on our side; it has been logged. Please try again.', 'error');
      await context.sendActivity({ type: 'message', attachments: [CardFactory.adaptiveCard(card)] });
    } catch (err) {
      logger.warn({ err }, 'could not tell the user about the failure');
    }
  };
  return adapter;
}

/**
 * botbuilder's public-cloud settings with another signing-key document. botbuilder switches to "parameterized" mode
 * as soon as one of these is set and then expects all of them, so all are given (the values its factory uses).
 */
function publicCloudWithKeysFrom(openIdMetadataUrl: string): Record<string, string> {
  return {
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
    // the same keys for tokens botbuilder takes for the Emulator's (tests show which issuers get through)
    ToBotFromEmulatorOpenIdMetadataUrl: openIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}
