/**
 * Partner Center wiring from configuration: live mode (real endpoints, MSAL tokens, Microsoft's certificate host) or
 * emulator mode (the built-in emulator on this server unless PARTNER_CENTER_API_URL points at a standalone one,
 * fixed tokens, the emulator's test CA).
 */
import type { INetworkModule } from '@azure/msal-node';
import type { Config } from '../../config.js';
import type { Logger, ResellerLinks, Store } from '../../core/ports.js';
import { emulatorTestCa } from '../../emulator/webhooks.js';
import { PartnerCenterDirectory } from './directory.js';
import { loginNetwork } from './login-network.js';
import { documentedResellerLink } from './reseller-link.js';
import { emulatorTokens, MsalTokens } from './tokens.js';
import { emulatorTrust, LIVE_TRUST, WebhookVerifier } from './webhook-verify.js';

export interface PartnerCenterSetup {
  readonly directory: PartnerCenterDirectory;
  readonly links: ResellerLinks;
  readonly verifier: WebhookVerifier;
  /** true when the emulator must be mounted on this server */
  readonly builtInEmulator: boolean;
  readonly description: string;
  /** why Microsoft refuses the bot's sign-in until a person acts (for `/readyz`), or undefined */
  readonly signInProblem: () => string | undefined;
}

export function setUpPartnerCenter(
  config: Config,
  store: Store,
  logger: Logger,
  ownUrl: () => string,
  networkClient?: INetworkModule,
): PartnerCenterSetup {
  const pc = config.partnerCenter;
  const builtInEmulator = pc.mode === 'emulator' && pc.apiUrl === undefined;
  const partnerCenterUrl = pc.apiUrl ?? (() => `${ownUrl()}/emulator/partner-center`);
  const graphUrl =
    pc.graphUrl ?? (pc.apiUrl ? `${new URL(pc.apiUrl).origin}/emulator/graph` : () => `${ownUrl()}/emulator/graph`);
  const network = networkClient ?? loginNetwork(pc.loginUrl);
  const tokens =
    pc.mode === 'live'
      ? new MsalTokens({
          tenantId: pc.partnerTenantId,
          clientId: pc.clientId ?? '',
          clientSecret: pc.clientSecret ?? '',
          refreshToken: pc.refreshToken ?? '',
          state: store.state,
          logger,
          ...(network ? { networkClient: network } : {}),
        })
      : emulatorTokens;
  const directory = new PartnerCenterDirectory({ partnerCenterUrl, graphUrl, tokens, logger });
  const fallback = documentedResellerLink(pc.partnerTenantId, pc.msppId);
  const links: ResellerLinks = {
    // The API's link is authoritative; when Partner Center is down the documented shape still lets staff work.
    async resellerLink() {
      try {
        return await directory.resellerLink();
      } catch (err) {
        logger.warn({ err }, 'reseller link: Partner Center did not answer; using the documented link format');
        return fallback;
      }
    },
  };
  const verifier = new WebhookVerifier(
    pc.mode === 'live'
      ? LIVE_TRUST
      : emulatorTrust(pc.apiUrl ? new URL(pc.apiUrl).origin : () => new URL(ownUrl()).origin, emulatorTestCa()),
  );
  return {
    directory,
    links,
    verifier,
    builtInEmulator,
    signInProblem: () => tokens.signInProblem(),
    description:
      pc.mode === 'live'
        ? `live (${pc.apiUrl ?? ''})`
        : builtInEmulator
          ? 'emulator (built in, /emulator)'
          : `emulator (${pc.apiUrl ?? ''})`,
  };
}
