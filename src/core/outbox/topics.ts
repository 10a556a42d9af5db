/**
 * Every job topic and its handler, one line each. A topic's payload type follows from its handler (`JobTopics`), so
 * enqueueing checks the payload against the topic's name. Adding work: a handler file beside its domain, and a line.
 */
import { cardActionJob } from '../actions/card-action-job.js';
import { acceptanceLinkJob } from '../actions/link-acceptance-job.js';
import { commandJob } from '../commands/command-job.js';
import { accessAssignmentsJob } from '../requests/access-assignments-job.js';
import { adminAccessJob } from '../requests/admin-access-job.js';
import { cardJob } from '../requests/card-job.js';
import { deliverJob } from '../notifications/deliver-job.js';
import { acceptancePostsJob } from '../watch/acceptance-posts-job.js';
import { eventJob } from '../watch/event-job.js';
import type { JobHandler } from './types.js';

export const JOB_HANDLERS = {
  event: eventJob,
  deliver: deliverJob,
  card: cardJob,
  'admin-access': adminAccessJob,
  command: commandJob,
  'card-action': cardActionJob,
  'acceptance-posts': acceptancePostsJob,
  'acceptance-link': acceptanceLinkJob,
  'access-assignments': accessAssignmentsJob,
} as const;

export type Topic = keyof typeof JOB_HANDLERS;
export type JobTopics = { [T in Topic]: (typeof JOB_HANDLERS)[T] extends JobHandler<infer P> ? P : never };
export type JobHandlers = { readonly [T in Topic]: JobHandler<JobTopics[T]> };
