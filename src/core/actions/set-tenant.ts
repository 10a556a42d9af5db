/**
 * A person gives an open request its customer's tenant after the fact (the card's "Customer tenant" field): a tenant
 * id or the `*.onmicrosoft.com` domain. The acceptance from that tenant then matches by tenant or domain; one that
 * already arrived and waits for a person is decided at once.
 */
import type { CoreDeps } from '../commands/types.js';
import { ValidationError } from '../errors.js';
import { isOpen, type RelationshipRequest } from '../model.js';
import { newJob } from '../outbox/types.js';
import { mutateRequest } from '../requests/mutate.js';
import { describeStatus } from '../requests/state-machine.js';
import { checkTenant } from '../requests/validation.js';
import { acceptLate } from '../watch/handle-event.js';
import { actorOf, loadForAction } from './load.js';
import type { ActionInput } from './types.js';

export async function setTenant(
  deps: Pick<CoreDeps, 'store' | 'settings' | 'clock' | 'logger'>,
  input: ActionInput & { readonly customerTenant: string },
): Promise<{ request: RelationshipRequest; changed: boolean }> {
  const current = await loadForAction(deps, input);
  if (!isOpen(current)) {
    throw new ValidationError(`${current.id} is ${describeStatus(current.status)}: its customer tenant is settled.`);
  }
  const hint = checkTenant(input.customerTenant);
  if (!hint.ok) throw new ValidationError(hint.problem);
  const at = deps.clock.now().toISOString();
  const given = 'tenantId' in hint.value ? hint.value.tenantId : hint.value.tenantDomain;
  const result = await mutateRequest(deps.store.requests, input.requestId, (request) => {
    const same =
      'tenantId' in hint.value
        ? request.customerTenantId === hint.value.tenantId
        : request.tenantDomain === hint.value.tenantDomain;
    if (same) return null;
    return {
      at,
      set:
        'tenantId' in hint.value
          ? { customerTenantId: hint.value.tenantId }
          : { tenantDomain: hint.value.tenantDomain },
      append: [{ type: 'tenant-given', tenant: given, at, actor: actorOf(input) }],
    };
  });
  if (!result.changed) return result;
  const accepted = await acceptLate(deps, result.request, at, `the tenant ${input.user.name} gave`);
  if (!accepted?.customerTenantId) return result;
  const now = deps.clock.now();
  await deps.store.outbox.enqueue(
    [
      newJob(
        'acceptance-posts',
        `tenant-given:${accepted.customerTenantId}`,
        { tenantId: accepted.customerTenantId },
        now,
      ),
    ],
    now,
  );
  return { request: accepted, changed: true };
}
