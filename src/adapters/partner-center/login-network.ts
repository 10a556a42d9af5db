/**
 * MSAL's HTTP client, pointed at the configured Microsoft identity platform (docs/configuration.md,
 * MICROSOFT_LOGIN_URL). MSAL only accepts https authorities, so it is always given Microsoft's own
 * (`https://login.microsoftonline.com/<tenant>`); this client sends what MSAL asks of that host to the configured base
 * instead (a local fake in tests), and everything else as it is. With the default base it is not used at all.
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { MICROSOFT_LOGIN } from '../../config/partner-center.js';

const TIMEOUT_MS = 30_000;

export function loginNetwork(loginUrl: string): INetworkModule | undefined {
  if (loginUrl === MICROSOFT_LOGIN) return undefined;
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    timeout = TIMEOUT_MS,
  ): Promise<NetworkResponse<T>> => {
    const target = url.startsWith(`${MICROSOFT_LOGIN}/`) ? `${loginUrl}${url.slice(MICROSOFT_LOGIN.length)}` : url;
    const res = await fetch(target, {
      method,
      headers: options?.headers ?? {},
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
      signal: AbortSignal.timeout(timeout),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { error: 'invalid_response', error_description: text.slice(0, 200) };
    }
    return { status: res.status, headers: Object.fromEntries(res.headers), body: body as T };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
