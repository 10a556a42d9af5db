/**
 * Answers through a command's or click's `response_url`: a JSON POST to the URL Slack gave (valid 30 minutes, five
 * uses). Used by jobs, which run after the request that carried the URL is long answered.
 */
import { UpstreamError } from '../../core/errors.js';

export type Respond = (message: Record<string, unknown>) => Promise<void>;

const RESPOND_TIMEOUT_MS = 10_000;

export function respondVia(responseUrl: string): Respond {
  return async (message) => {
    let status: number;
    try {
      const res = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(RESPOND_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch (err) {
      throw new UpstreamError('Slack did not answer on the response_url.', 'slack', { cause: err });
    }
    // 404: the URL expired (30 minutes, or five uses) — trying again cannot help
    if (status >= 400) {
      throw new UpstreamError(`Slack's response_url answered HTTP ${status}.`, 'slack', {
        retryable: status === 429 || status >= 500,
      });
    }
  };
}
