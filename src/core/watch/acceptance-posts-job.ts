/**
 * Job topic `acceptance-posts`: show a decided acceptance on every notification that asked about it, in place — the
 * buttons give way to who decided what.
 */
import { DestinationGoneError } from '../errors.js';
import { defineJob } from '../outbox/types.js';
import { acceptanceNotification, loadAcceptance, postsOf } from './acceptances.js';

export interface AcceptancePostsPayload {
  readonly tenantId: string;
}

export const acceptancePostsJob = defineJob<AcceptancePostsPayload>({
  lane: (payload) => `acceptance:${payload.tenantId}`,
  async run({ payload }, { deps, paced }) {
    const acceptance = await loadAcceptance(deps.store, payload.tenantId);
    if (!acceptance) return;
    const notification = acceptanceNotification(acceptance);
    for (const post of await postsOf(deps.store, payload.tenantId)) {
      const notifier = deps.notifiers.find((n) => n.platform === post.platform);
      if (!notifier) continue;
      try {
        await paced({ platform: post.platform, channelId: post.conversationId }, () =>
          notifier.updateNotification(post, notification),
        );
      } catch (err) {
        if (err instanceof DestinationGoneError) continue; // that channel is gone: nothing to update
        throw err;
      }
    }
  },
});
