/**
 * Job topic `event`: a detected change (webhook, reconciler, reminders). Handling it updates the request and
 * enqueues one `deliver` job per destination and one `card` job. A crash in between runs it again: the handler is
 * idempotent (a replayed transition changes nothing and still notifies) and the fan-out's keys derive from the event,
 * so nothing is lost and nothing doubles.
 */
import type { Platform, RelationshipRequest } from '../model.js';
import { deliveryKey, type DeliveryPayload } from '../notifications/deliver-job.js';
import { defineJob, destinationKey, newJob, type JobDeps, type NewJob } from '../outbox/types.js';
import type { Subscription } from '../ports.js';
import { eventKey, type EventSource, type PartnerEvent } from './events.js';
import { handleEvent, type EventOutcome } from './handle-event.js';

export interface EventPayload {
  readonly event: PartnerEvent;
  readonly source: EventSource;
  readonly detectedAt: string;
}

export const eventJob = defineJob<EventPayload>({
  async run({ key, payload, attempts }, { deps }) {
    const outcome = await handleEvent(deps, payload.event, attempts);
    await deps.store.outbox.enqueue(await fanOut(deps, eventKey(payload.event), outcome), deps.clock.now());
    deps.logger.info(
      { key, source: payload.source, notification: outcome.notification?.event ?? 'none' },
      'jobs: event handled',
    );
  },
});

/** One `deliver` job per destination and one `card` job; their keys derive from the event, so a replay adds none. */
async function fanOut(deps: JobDeps, event: string, outcome: EventOutcome): Promise<NewJob[]> {
  const now = deps.clock.now();
  const jobs: NewJob[] = [];
  if (outcome.notification) {
    for (const destination of await destinations(deps, outcome)) {
      const payload: DeliveryPayload = {
        destination,
        notification: outcome.notification,
        direct: outcome.audience === 'origin',
      };
      jobs.push(newJob('deliver', deliveryKey(event, destination), payload, now));
    }
  }
  if (outcome.request?.card) {
    jobs.push(newJob('card', `${event}>${outcome.request.id}`, { requestId: outcome.request.id }, now));
  }
  if (outcome.acceptanceChanged) {
    const tenantId = outcome.acceptanceChanged;
    jobs.push(newJob('acceptance-posts', `${event}>acceptance:${tenantId}`, { tenantId }, now));
  }
  return jobs;
}

async function destinations(deps: JobDeps, outcome: EventOutcome): Promise<Subscription[]> {
  const platforms = new Set<Platform>(deps.notifiers.map((n) => n.platform));
  if (outcome.audience === 'origin') {
    const request = outcome.origin;
    if (!request || !platforms.has(request.requester.platform)) return [];
    return [originOf(request)];
  }
  const all = [...deps.notifiers.flatMap((n) => n.standing), ...(await deps.store.subscriptions.listActive())];
  const unique = new Map<string, Subscription>();
  for (const s of all) if (platforms.has(s.platform)) unique.set(destinationKey(s), s);
  return [...unique.values()];
}

/** A reminder goes to the conversation the request was made in, as if it were subscribed. */
function originOf(request: RelationshipRequest): Subscription {
  return {
    platform: request.requester.platform,
    scope: request.scope,
    channelId: request.conversationId,
    active: true,
    createdBy: request.requester.id,
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
  };
}
