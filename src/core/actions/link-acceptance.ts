/**
 * A person ties an acceptance the bot could not decide to one of the requests it offered, or says it is none of
 * them (docs/behaviour.md#matching-an-acceptance). The request is accepted with the customer's tenant and record,
 * its timeline says who decided, and the notification and the card change in place. Clicking again, or a second
 * person clicking later, changes nothing and shows what was decided.
 */
import { checkRequester, checkWorkspace } from '../access.js';
import type { CoreDeps } from '../commands/types.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { RelationshipRequest } from '../model.js';
import { newJob } from '../outbox/types.js';
import { mutateRequest } from '../requests/mutate.js';
import { decideAcceptance, loadAcceptance, type Acceptance } from '../watch/acceptances.js';
import { acceptedBy } from '../watch/handle-event.js';
import { actorOf, findRequest } from './load.js';
import type { ActionInput } from './types.js';

export interface LinkAcceptanceInput extends ActionInput {
  /** the customer tenant whose acceptance is decided */
  readonly tenantId: string;
  /** '' = none of these */
  readonly requestId: string;
}

export async function linkAcceptance(
  deps: Pick<CoreDeps, 'store' | 'settings' | 'clock'>,
  input: LinkAcceptanceInput,
): Promise<{ acceptance: Acceptance; request?: RelationshipRequest | undefined; changed: boolean }> {
  checkWorkspace(deps.settings.access, input.platform, input.tenant);
  checkRequester(deps.settings.access, input.user);
  const acceptance = await loadAcceptance(deps.store, input.tenantId);
  if (!acceptance) throw new NotFoundError(`The bot has no acceptance from tenant ${input.tenantId} to decide.`);
  if (acceptance.decided) return { acceptance, changed: false };
  const now = deps.clock.now();
  const at = now.toISOString();
  const decided = { requestId: input.requestId, by: input.user.name, at };
  if (!input.requestId) {
    const none = await decideAcceptance(deps.store, acceptance, decided, now);
    await deps.store.outbox.enqueue([postsJob(input.tenantId, now)], now);
    return { acceptance: none, changed: true };
  }
  if (!acceptance.candidates.some((c) => c.id === input.requestId)) {
    throw new ValidationError(`${input.requestId} was not one of the requests offered for this customer.`);
  }
  if (!(await findRequest(deps, input))) {
    throw new NotFoundError(`There is no request ${input.requestId} in this workspace.`);
  }
  const customer = {
    tenantId: acceptance.tenantId,
    companyName: acceptance.companyName,
    domains: acceptance.defaultDomain ? [acceptance.defaultDomain] : [],
    relationshipToPartner: 'reseller',
  };
  const { request } = await mutateRequest(deps.store.requests, input.requestId, (current) =>
    acceptedBy(current, customer, actorOf(input), at, `linked by ${input.user.name}`),
  );
  const linked = await decideAcceptance(deps.store, acceptance, decided, now);
  await deps.store.outbox.enqueue(
    [
      postsJob(input.tenantId, now),
      newJob('card', `acceptance-link:${input.tenantId}>${request.id}`, { requestId: request.id }, now),
    ],
    now,
  );
  return { acceptance: linked, request, changed: true };
}

function postsJob(tenantId: string, now: Date) {
  return newJob('acceptance-posts', `acceptance-link:${tenantId}`, { tenantId }, now);
}
