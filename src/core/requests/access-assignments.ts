/**
 * Making approved admin rights usable (docs/behaviour.md#access-assignments): one access assignment per configured
 * partner security group on the request's GDAP relationship. Graph is the record: each pass lists the relationship's
 * assignments, creates the missing ones when asked to, and stores what it saw on the request. A refusal is kept per
 * group (the card offers a retry); a failure worth retrying is thrown, after what was done is stored, for the job
 * to try again. When every group's assignment is active the `access-ready` event is recorded: its key is the
 * relationship's, so the channel hears it once, whoever sees it first (a webhook, the reconciler, a retry).
 */
import type { CoreDeps } from '../commands/types.js';
import { isBotError, UpstreamError, type BotError } from '../errors.js';
import type { AccessAssignmentSetting, AccessAssignmentState, RelationshipRequest } from '../model.js';
import type { AccessAssignment } from '../ports.js';
import { recordEvents } from '../watch/events.js';
import { mutateRequest } from './mutate.js';

type GdapSettings = Pick<CoreDeps['settings'], 'gdap'>;
export type AssignmentDeps = Pick<CoreDeps, 'store' | 'clock' | 'directory' | 'logger'> & {
  readonly settings: GdapSettings;
};

/** The configured groups (none: admin rights are assigned by hand in Partner Center). */
export function assignmentSettings(deps: { readonly settings: GdapSettings }): readonly AccessAssignmentSetting[] {
  return deps.settings.gdap?.accessAssignments ?? [];
}

/** What the card shows before the first pass: every configured group, pending. */
export function plannedAssignments(settings: readonly AccessAssignmentSetting[]): AccessAssignmentState[] {
  return settings.map((s) => ({ groupId: s.groupId, roles: s.roles, status: 'pending' }));
}

export function allActive(request: Pick<RelationshipRequest, 'accessAssignments'>): boolean {
  const states = request.accessAssignments ?? [];
  return states.length > 0 && states.every((s) => s.status === 'active');
}

/**
 * `create`: make the assignments that are missing or were refused (the job after an approval, a retry);
 * `observe`: only record what Graph says (a webhook, the reconciler).
 */
export async function syncAccessAssignments(
  deps: AssignmentDeps,
  requestId: string,
  mode: 'create' | 'observe',
): Promise<RelationshipRequest | undefined> {
  const settings = assignmentSettings(deps);
  const request = await deps.store.requests.get(requestId);
  const relationshipId = request?.gdapRelationshipId;
  if (!request || !relationshipId || !deps.directory || settings.length === 0 || request.adminAccess !== 'granted') {
    return request;
  }
  const directory = deps.directory;
  const listed = await directory.accessAssignments(relationshipId);
  const states: AccessAssignmentState[] = [];
  let retryLater: BotError | undefined;
  for (const setting of settings) {
    const earlier = request.accessAssignments?.find((s) => s.groupId === setting.groupId);
    const found = listed.find((a) => a.groupId === setting.groupId && a.status !== 'deleted');
    if (found) {
      states.push(stateOf(setting, found));
    } else if (mode === 'observe' || retryLater) {
      states.push(
        earlier?.assignmentId ? { ...earlier, status: 'deleted' } : (earlier ?? { ...setting, status: 'pending' }),
      );
    } else {
      try {
        states.push(stateOf(setting, await directory.assignAccess(relationshipId, setting)));
      } catch (err) {
        if (!isBotError(err)) throw err;
        if (err instanceof UpstreamError && !err.retryable) {
          deps.logger.warn({ err, requestId, groupId: setting.groupId }, 'access assignment refused');
          states.push({ ...setting, status: 'failed', problem: err.message });
        } else {
          retryLater = err;
          states.push(earlier ?? { ...setting, status: 'pending' });
        }
      }
    }
  }
  const at = deps.clock.now().toISOString();
  const { request: stored } = await mutateRequest(deps.store.requests, requestId, (current) =>
    current.adminAccess === 'granted' &&
    current.gdapRelationshipId === relationshipId &&
    JSON.stringify(current.accessAssignments ?? []) !== JSON.stringify(states)
      ? { at, set: { accessAssignments: states }, append: [] }
      : null,
  );
  if (allActive(stored) && stored.gdapRelationshipId === relationshipId) {
    await recordEvents(deps.store, [{ kind: 'access-ready', relationshipId }], 'assignments', deps.clock.now());
  }
  if (retryLater) throw retryLater;
  return stored;
}

function stateOf(setting: AccessAssignmentSetting, found: AccessAssignment): AccessAssignmentState {
  const base = { groupId: setting.groupId, roles: setting.roles, assignmentId: found.id };
  switch (found.status) {
    case 'active':
      return { ...base, status: 'active' };
    case 'deleting':
      return { ...base, status: 'deleted' };
    case 'error':
      return {
        ...base,
        status: 'failed',
        problem: `Microsoft could not activate the assignment for group ${setting.groupId} (status "error"): check it in Partner Center.`,
      };
    default:
      return { ...base, status: 'pending' };
  }
}

/** One line for the card: where making the rights usable stands. */
export function describeAssignments(request: Pick<RelationshipRequest, 'accessAssignments'>): string {
  const states = request.accessAssignments ?? [];
  if (states.length === 0) return 'assign it to your security groups in Partner Center to use it';
  const failed = states.filter((s) => s.status === 'failed').length;
  const active = states.filter((s) => s.status === 'active').length;
  const groups = `${states.length} security group${states.length === 1 ? '' : 's'}`;
  if (active === states.length) return `assigned to ${groups}: ready to use`;
  if (failed > 0) return `assignment failed for ${failed} of ${groups}`;
  return `being assigned to ${groups} (${active} active)`;
}
