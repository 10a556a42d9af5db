/**
 * Job topic `access-assignments`: after a customer approved admin access (or staff pressed Retry), create the
 * configured access assignments. Graph's retryable failures are retried by the runner; refusals are kept on the
 * request for the card.
 */
import { defineJob } from '../outbox/types.js';
import { syncAccessAssignments } from './access-assignments.js';
import { cardJob } from './card-job.js';

export interface AccessAssignmentsPayload {
  readonly requestId: string;
}

export const accessAssignmentsJob = defineJob<AccessAssignmentsPayload>({
  async run(job, context) {
    const after = await syncAccessAssignments(context.deps, job.payload.requestId, 'create');
    if (after?.card) await cardJob.run(job, context);
  },
});
