import { findRequest } from '../actions/load.js';
import { NotFoundError } from '../errors.js';
import { scopeOf, type RelationshipRequest } from '../model.js';
import { card } from '../replies.js';
import { parseRequestId } from '../requests/ids.js';
import { normaliseCompanyName } from '../requests/matching.js';
import { earlierTimelineText, listItemModel, requestCardModel, timelineModel } from '../views/request-view.js';
import { defineCommand } from './types.js';
import { unquote } from './words.js';

export const statusCommand = defineCommand<string>({
  name: 'status',
  triggers: ['status'],
  usage: 'status <request id | customer name>',
  summary: "Post a request's card again with its full timeline.",
  examples: ['status RR-7K2Q9', 'status Contoso Ltd'],
  restricted: false,
  parse(args) {
    const query = unquote(args.trim());
    return query
      ? { ok: true, args: query }
      : { ok: false, problem: 'Which request? Give its id or the customer name.' };
  },
  async run(deps, input, query) {
    const scope = scopeOf(input.platform, input.tenant);
    const id = parseRequestId(query);
    const byId = id
      ? await findRequest(deps, { platform: input.platform, tenant: input.tenant, requestId: id })
      : undefined;
    if (byId) return statusCard(byId);

    const matches = await deps.store.requests.findByCustomerKey(scope, normaliseCompanyName(query));
    const [only] = matches;
    if (matches.length === 1 && only) return statusCard(only);
    if (matches.length > 1) {
      const now = deps.clock.now();
      return card(
        'list',
        {
          filter: 'all',
          title: `Requests for ${only?.customerName ?? query}`,
          items: matches.map((r) => listItemModel(r, now)),
          total: matches.length,
          more: 'Several requests match; use "status <request id>" for one of them.',
          emptyText: '',
        },
        'user',
      );
    }
    throw new NotFoundError(
      id
        ? `There is no request ${id} in this workspace.`
        : `No request for a customer called "${query}". Try "list all" to see every request.`,
    );
  },
});

function statusCard(request: RelationshipRequest) {
  return card(
    'status',
    { request: requestCardModel(request), timeline: timelineModel(request), earlier: earlierTimelineText(request) },
    'conversation',
  );
}
