/**
 * Access tokens for Partner Center and Graph (docs/partner-center.md#tokens). Live mode uses @azure/msal-node: the
 * App+User token (Secure Application Model) starts from PARTNER_CENTER_REFRESH_TOKEN and then lives in MSAL's token
 * cache, which is kept in the store (so a restart or a second instance does not start over); app-only tokens come
 * from client credentials. Emulator mode uses fixed tokens the emulator knows.
 */
import {
  ConfidentialClientApplication,
  type ICachePlugin,
  type INetworkModule,
  type TokenCacheContext,
} from '@azure/msal-node';
import { UpstreamError } from '../../core/errors.js';
import type { KeyValueRepository, Logger } from '../../core/ports.js';

export interface TokenSource {
  /** why signing in to Microsoft is refused until a person acts (for `/readyz`), or undefined while it works */
  signInProblem(): string | undefined;
  /** app-only Partner Center token */
  partnerCenterApp(): Promise<string>;
  /** App+User Partner Center token (needed for the relationship request link and customer by id) */
  partnerCenterUser(): Promise<string>;
  /** app-only Graph token (GDAP) */
  graph(): Promise<string>;
}

export const EMULATOR_TOKENS = { app: 'emulator-app-token', user: 'emulator-user-token' } as const;

export const emulatorTokens: TokenSource = {
  signInProblem: () => undefined,
  partnerCenterApp: () => Promise.resolve(EMULATOR_TOKENS.app),
  partnerCenterUser: () => Promise.resolve(EMULATOR_TOKENS.user),
  graph: () => Promise.resolve(EMULATOR_TOKENS.app),
};

export const SCOPES = {
  partnerCenterApp: ['https://api.partnercenter.microsoft.com/.default'],
  partnerCenterUser: ['https://api.partnercenter.microsoft.com/user_impersonation'],
  graph: ['https://graph.microsoft.com/.default'],
} as const;

export const TOKEN_CACHE_KEY = 'msal:token-cache';

export interface MsalTokenOptions {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly state: KeyValueRepository;
  readonly logger: Logger;
  /** default https://login.microsoftonline.com */
  readonly authorityHost?: string;
  /** MSAL's HTTP client; tests hand it one that reaches a local fake identity provider */
  readonly networkClient?: INetworkModule;
}

export class MsalTokens implements TokenSource {
  private readonly app: ConfidentialClientApplication;
  /** per sign-in kind: the last permanent refusal, cleared by the next success */
  private readonly refused = new Map<string, string>();

  constructor(private readonly options: MsalTokenOptions) {
    this.app = new ConfidentialClientApplication({
      auth: {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        authority: `${options.authorityHost ?? 'https://login.microsoftonline.com'}/${options.tenantId}`,
      },
      cache: { cachePlugin: storeCachePlugin(options.state) },
      system: options.networkClient ? { networkClient: options.networkClient } : {},
    });
  }

  signInProblem(): string | undefined {
    const problems = [...this.refused.values()];
    return problems.length > 0 ? problems.join(' ') : undefined;
  }

  partnerCenterApp(): Promise<string> {
    return this.clientCredential(SCOPES.partnerCenterApp);
  }

  graph(): Promise<string> {
    return this.clientCredential(SCOPES.graph);
  }

  /** From MSAL's cache when it holds an account (refreshing silently), else from the configured refresh token. */
  async partnerCenterUser(): Promise<string> {
    return this.watched('user', () => this.userToken());
  }

  private async userToken(): Promise<string> {
    const scopes = [...SCOPES.partnerCenterUser];
    try {
      const [account] = await this.app.getTokenCache().getAllAccounts();
      if (account) {
        try {
          const silent = await this.app.acquireTokenSilent({ account, scopes });
          return silent.accessToken;
        } catch (err) {
          this.options.logger.info(
            { err },
            'cached Partner Center sign-in could not be refreshed; using the configured refresh token',
          );
        }
      }
      // forceCache: without it MSAL keeps nothing from a refresh token it did not issue itself (its account is not
      // in the cache yet), and every start would sign in from the configured token again
      const result = await this.app.acquireTokenByRefreshToken({
        refreshToken: this.options.refreshToken,
        scopes,
        forceCache: true,
      });
      if (!result) throw new Error('no token in the answer');
      return result.accessToken;
    } catch (err) {
      throw tokenError(err, 'the App+User (refresh token) sign-in');
    }
  }

  /** Remember a refusal that needs a person (for `/readyz`) until the same kind of sign-in works again. */
  private async watched(kind: 'user' | 'app', get: () => Promise<string>): Promise<string> {
    try {
      const token = await get();
      this.refused.delete(kind);
      return token;
    } catch (err) {
      if (err instanceof UpstreamError && !err.retryable) this.refused.set(kind, err.message);
      throw err;
    }
  }

  private clientCredential(scopes: readonly string[]): Promise<string> {
    return this.watched('app', () => this.appToken(scopes));
  }

  private async appToken(scopes: readonly string[]): Promise<string> {
    try {
      const result = await this.app.acquireTokenByClientCredential({ scopes: [...scopes] });
      if (!result) throw new Error('no token in the answer');
      return result.accessToken;
    } catch (err) {
      throw tokenError(err, 'the app-only (client credentials) sign-in');
    }
  }
}

function storeCachePlugin(state: KeyValueRepository): ICachePlugin {
  return {
    async beforeCacheAccess(context: TokenCacheContext) {
      const stored = await state.get(TOKEN_CACHE_KEY);
      if (typeof stored?.['serialized'] === 'string') context.tokenCache.deserialize(stored['serialized']);
    },
    async afterCacheAccess(context: TokenCacheContext) {
      if (context.cacheHasChanged) {
        await state.put(TOKEN_CACHE_KEY, { serialized: context.tokenCache.serialize() }, new Date());
      }
    },
  };
}

/** `invalid_grant`/`invalid_client` need a person (new consent, new secret); anything else may pass. */
function tokenError(err: unknown, what: string): UpstreamError {
  const code = (err as { errorCode?: string }).errorCode ?? '';
  const permanent = /invalid_grant|invalid_client|unauthorized_client|interaction_required/.test(code);
  const fix = !permanent
    ? ''
    : what.includes('refresh token')
      ? ' Sign in again with `npm run partner-center:consent` to renew PARTNER_CENTER_REFRESH_TOKEN (README "Production, step by step").'
      : ' Check PARTNER_CENTER_CLIENT_ID / PARTNER_CENTER_CLIENT_SECRET (README "Production, step by step").';
  return new UpstreamError(`Microsoft Entra refused ${what}${code ? ` (${code})` : ''}.${fix}`, 'Microsoft Entra', {
    cause: err,
    retryable: !permanent,
  });
}
