/**
 * The reminder job (docs/behaviour.md#notifications) on REMINDER_SCHEDULE: invitations nobody answered (`request.reminder`, once, to the
 * conversation the request came from), invitations past the expiry window (`request.expired`), and GDAP
 * relationships about to end (`admin.expiring`, 30 and 7 days before, unless they auto-extend). Each threshold is recorded on the request
 * when handled, so it is announced once, not every day.
 */
import { OPEN_STATUSES, type RelationshipRequest } from '../model.js';
import type { Clock, Logger, Store } from '../ports.js';
import { recordEvents, type PartnerEvent } from './events.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** docs/behaviour.md#requests-and-their-states: no answer within 90 days (GDAP requests expire after 90 days too) */
export const EXPIRY_DAYS = 90;

export async function remind(
  deps: { store: Store; clock: Clock; logger: Logger },
  reminderAfterDays: number,
): Promise<number> {
  const now = deps.clock.now();
  const events: PartnerEvent[] = [];
  const open = await deps.store.requests.list({ statuses: OPEN_STATUSES, limit: 20_000 });
  for (const request of open) {
    const waiting = now.getTime() - Date.parse(sentAt(request) ?? request.createdAt);
    if (request.status === 'sent' && now.getTime() - Date.parse(request.createdAt) >= EXPIRY_DAYS * DAY_MS) {
      events.push({ kind: 'request-notice', requestId: request.id, notice: 'expired' });
    } else if (waiting >= reminderAfterDays * DAY_MS && !request.notices?.includes('reminder')) {
      events.push({ kind: 'request-notice', requestId: request.id, notice: 'reminder' });
    }
  }
  for (const request of await deps.store.requests.list({ adminAccess: ['granted'], limit: 20_000 })) {
    // a relationship that extends itself at its end is not about to end
    if (!request.gdapEndsAt || request.gdapAutoExtends) continue;
    const left = Date.parse(request.gdapEndsAt) - now.getTime();
    if (left <= 0) continue; // the reconciler reports the expiry itself
    if (left <= 7 * DAY_MS && !request.notices?.includes('expiring-7')) {
      events.push({ kind: 'request-notice', requestId: request.id, notice: 'expiring-7' });
    } else if (left <= 30 * DAY_MS && left > 7 * DAY_MS && !request.notices?.includes('expiring-30')) {
      events.push({ kind: 'request-notice', requestId: request.id, notice: 'expiring-30' });
    }
  }
  const recorded = await recordEvents(deps.store, events, 'reminders', now);
  deps.logger.info({ due: events.length, recorded }, 'reminders: run finished');
  return recorded;
}

function sentAt(request: RelationshipRequest): string | undefined {
  return request.timeline.find((e) => e.type === 'status' && e.to === 'sent')?.at;
}
