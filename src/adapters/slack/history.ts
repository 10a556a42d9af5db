/**
 * Finding our own post in a channel's recent history by its message metadata: how a restarted process tells whether
 * a post it was making when the last one died went out (needs the channels:history / groups:history scopes).
 */
import type { WebClient } from '@slack/web-api';

const HISTORY_PAGES = 5;

export interface PostMetadata {
  readonly event_type?: string | undefined;
  readonly event_payload?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The ts of the newest message since `since` whose metadata `matches`; `false` when the history since then has none;
 * `undefined` when Slack will not say (a missing scope, another error, more history than we read).
 */
export async function findInHistory(
  client: WebClient,
  channel: string,
  since: Date,
  matches: (metadata: PostMetadata) => boolean,
): Promise<string | false | undefined> {
  let cursor: string | undefined;
  try {
    for (let page = 0; page < HISTORY_PAGES; page++) {
      const answer = await client.conversations.history({
        channel,
        oldest: (since.getTime() / 1000 - 1).toFixed(6),
        include_all_metadata: true,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      const found = (answer.messages ?? []).find((m) => m.metadata && matches(m.metadata as PostMetadata));
      if (found?.ts) return found.ts;
      cursor = answer.response_metadata?.next_cursor;
      if (!answer.has_more || !cursor) return false;
    }
    return undefined;
  } catch {
    return undefined;
  }
}
