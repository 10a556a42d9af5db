import { text } from '../replies.js';
import { defineCommand } from './types.js';

export const unsubscribeCommand = defineCommand<null>({
  name: 'unsubscribe',
  triggers: ['unsubscribe'],
  usage: 'unsubscribe',
  summary: 'Stop notifications in this channel.',
  examples: ['unsubscribe'],
  restricted: false,
  parse: (args) =>
    args.trim()
      ? {
          ok: false,
          problem: '"unsubscribe" takes no arguments: type it in the channel that should stop getting notifications.',
        }
      : { ok: true, args: null },
  async run({ store, clock }, input) {
    const removed = await store.subscriptions.unsubscribe(
      input.platform,
      input.conversation.id,
      clock.now().toISOString(),
    );
    return removed
      ? text('This channel will no longer get notifications.', 'success', 'conversation')
      : text('This channel was not getting notifications.', 'info', 'user');
  },
});
