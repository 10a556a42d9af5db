import { scopeOf } from '../model.js';
import { text } from '../replies.js';
import { defineCommand } from './types.js';

export const subscribeCommand = defineCommand<null>({
  name: 'subscribe',
  triggers: ['subscribe'],
  usage: 'subscribe',
  summary: 'Send notifications (accepted invitations, admin access changes, reminders) to this channel.',
  examples: ['subscribe'],
  restricted: false,
  parse: (args) =>
    args.trim()
      ? { ok: false, problem: '"subscribe" takes no arguments: type it in the channel that should get notifications.' }
      : { ok: true, args: null },
  async run({ store, clock }, input) {
    const at = clock.now().toISOString();
    const { created } = await store.subscriptions.subscribe({
      platform: input.platform,
      scope: scopeOf(input.platform, input.tenant),
      channelId: input.conversation.id,
      channelName: input.conversation.name,
      createdBy: input.user.name,
      createdAt: at,
    });
    return created
      ? text(
          'This channel will now get notifications when customers accept invitations and when admin access is granted, revoked or expires.',
          'success',
          'conversation',
        )
      : text('This channel already gets notifications.', 'info', 'user');
  },
});
