import { OPEN_STATUSES, scopeOf, type Status } from '../model.js';
import { card } from '../replies.js';
import { listItemModel } from '../views/request-view.js';
import type { ListFilter } from '../views/models.js';
import { defineCommand } from './types.js';

export const LIST_LIMIT = 20;

const FILTERS: Readonly<Record<ListFilter, { statuses: readonly Status[] | undefined; title: string; empty: string }>> =
  {
    open: {
      statuses: OPEN_STATUSES,
      title: 'Open relationship requests',
      empty: 'No open requests. Start one with "request relationship <customer> <email>".',
    },
    accepted: {
      statuses: ['accepted'],
      title: 'Accepted relationship requests',
      empty: 'No customer has accepted a request yet.',
    },
    all: {
      statuses: undefined,
      title: 'All relationship requests',
      empty: 'No requests yet. Start one with "request relationship <customer> <email>".',
    },
  };

export const listCommand = defineCommand<ListFilter>({
  name: 'list',
  triggers: ['list'],
  usage: 'list [open|accepted|all]',
  summary: "Show this workspace's requests, newest first (default: open = draft and sent).",
  examples: ['list', 'list all'],
  restricted: false,
  parse(args) {
    const word = args.trim().toLowerCase();
    if (word === '') return { ok: true, args: 'open' };
    if (word === 'open' || word === 'accepted' || word === 'all') return { ok: true, args: word };
    return { ok: false, problem: `"list" shows open, accepted or all requests — "${args.trim()}" is not one of them.` };
  },
  async run({ store, clock }, input, filter) {
    const { statuses, title, empty } = FILTERS[filter];
    const query = { scope: scopeOf(input.platform, input.tenant), statuses };
    const [requests, total] = await Promise.all([
      store.requests.list({ ...query, limit: LIST_LIMIT }),
      store.requests.count(query),
    ]);
    const now = clock.now();
    return card(
      'list',
      {
        filter,
        title,
        items: requests.map((r) => listItemModel(r, now)),
        total,
        more: total > requests.length ? `Showing the newest ${requests.length} of ${total}.` : '',
        emptyText: empty,
      },
      'user',
    );
  },
});
