import { cancelRequest } from '../actions/cancel-request.js';
import { newJob } from '../outbox/types.js';
import { text } from '../replies.js';
import { parseRequestId } from '../requests/ids.js';
import { defineCommand } from './types.js';

export const cancelCommand = defineCommand<string>({
  name: 'cancel',
  triggers: ['cancel'],
  usage: 'cancel <request id>',
  summary: 'Cancel an open request (its card shows it as cancelled).',
  examples: ['cancel RR-7K2Q9'],
  restricted: true,
  parse(args) {
    const raw = args.trim();
    if (!raw) return { ok: false, problem: 'Which request? Give its id, for example RR-7K2Q9.' };
    const id = parseRequestId(raw);
    return id
      ? { ok: true, args: id }
      : { ok: false, problem: `"${raw}" is not a request id (they look like RR-7K2Q9).` };
  },
  async run(deps, input, id) {
    const { request, changed, said } = await cancelRequest(deps, {
      platform: input.platform,
      tenant: input.tenant,
      user: input.user,
      requestId: id,
    });
    if (changed && request.card) {
      // the request's card changes in place, wherever it was posted
      const now = deps.clock.now();
      await deps.store.outbox.enqueue(
        [newJob('card', `cancel:${request.id}@${request.version}`, { requestId: request.id }, now)],
        now,
      );
    }
    const more = said ? ` ${said}` : '';
    return changed
      ? text(`Request ${request.id} for ${request.customerName} is cancelled.${more}`, 'success', 'conversation')
      : text(`Request ${request.id} for ${request.customerName} was already cancelled.${more}`, 'info', 'user');
  },
});
