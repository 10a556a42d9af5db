/**
 * Job topic `admin-access`: the safety net behind a card posted before admin access was asked for. It falls due a
 * while after the card; if the process died before the follow-up finished, it asks now (finding what an interrupted
 * attempt created) and updates the card. When the follow-up did finish, it changes nothing.
 */
import { SYSTEM_ACTOR } from '../model.js';
import { defineJob } from '../outbox/types.js';
import { requestAdminAccess } from './admin-access.js';
import { cardJob } from './card-job.js';

export interface AdminAccessPayload {
  readonly requestId: string;
}

/** How long after the card the safety net looks: well after any follow-up that is still alive has finished. */
export const ADMIN_ACCESS_SAFETY_NET_MS = 2 * 60_000;

export const adminAccessJob = defineJob<AdminAccessPayload>({
  async run(job, context) {
    const { deps } = context;
    const before = await deps.store.requests.get(job.payload.requestId);
    if (!before) return;
    const after = await requestAdminAccess(deps, before.id, before.timeline[0]?.actor ?? SYSTEM_ACTOR);
    if (after.version === before.version) return;
    deps.logger.warn(
      { requestId: after.id },
      'admin access was asked for by the safety net (a follow-up never finished)',
    );
    await cardJob.run(job, context);
  },
});
