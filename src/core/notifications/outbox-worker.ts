/**
 * Delivers what the outbox holds (SPEC §5). Three kinds of item:
 * - `event`: a detected change; handling it updates the request and enqueues one `deliver` item per destination
 *   and one `card` item, then completes. A crash in between replays the handler (idempotent) and re-enqueues the
 *   same keys (stored once), so nothing is lost and nothing doubles.
 * - `deliver`: one notification to one channel. Posted, then completed. If a previous claim of the item never
 *   finished (the process died after posting, before recording it), the platform is asked first whether the post
 *   exists (Slack can tell; Teams cannot, so Teams is at least once in that window).
 * - `card`: show a request's current state on its card, in place (idempotent by nature).
 * Retries back off exponentially with jitter and honour Retry-After (which holds the whole channel); each channel is
 * paced under its platform's limits (`rate-windows.ts`).
 */
import { DestinationGoneError, NotFoundError, RateLimitedError, UpstreamError } from '../errors.js';
import type { Platform, RelationshipRequest } from '../model.js';
import type { ChannelNotifier, OutboxItem, Subscription } from '../ports.js';
import { EVENT_TOPIC, type EventSource, type PartnerEvent } from '../watch/events.js';
import { handleEvent, type EventOutcome, type HandlerDeps } from '../watch/handle-event.js';
import { deliverToSubscription } from './deliver.js';
import type { CoreSettings } from '../commands/types.js';
import { ADMIN_ACCESS_TOPIC, requestAdminAccess } from '../requests/admin-access.js';
import type { NotificationModel } from './model.js';
import { PLATFORM_WINDOWS, RateWindows, type PlatformWindows } from './rate-windows.js';

export const DELIVER_TOPIC = 'deliver';
export const CARD_TOPIC = 'card';

export interface WorkerOptions {
  /** how often to look for due items when nothing kicked the worker */
  readonly pollMs: number;
  /** how long a claim lasts; a crashed worker's items are picked up after this */
  readonly lockMs: number;
  readonly batch: number;
  readonly maxAttempts: number;
  /** how many posts one channel may take in which time, per platform */
  readonly rateWindows: PlatformWindows;
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  pollMs: 2_000,
  lockMs: 60_000,
  batch: 50,
  maxAttempts: 12,
  rateWindows: PLATFORM_WINDOWS,
  baseBackoffMs: 2_000,
  maxBackoffMs: 15 * 60_000,
};

export interface WorkerDeps extends HandlerDeps {
  readonly notifiers: readonly ChannelNotifier[];
  /** GDAP settings, for the admin-access safety net (absent: those items change nothing) */
  readonly settings?: CoreSettings | undefined;
}

/** What a `deliver` item carries. */
export interface DeliveryPayload {
  readonly destination: Subscription;
  readonly notification: NotificationModel;
  /** to the request's own conversation (a reminder), not to a subscription */
  readonly direct: boolean;
}

export class OutboxWorker {
  private readonly options: WorkerOptions;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly limits: RateWindows;
  private wake: { timer: NodeJS.Timeout; at: number } | undefined;

  constructor(
    private readonly deps: WorkerDeps,
    /** this process's name on claims and leases (unique per process) */
    readonly owner: string,
    options: Partial<WorkerOptions> = {},
  ) {
    this.options = { ...DEFAULT_WORKER_OPTIONS, ...options };
    this.limits = new RateWindows(this.options.rateWindows);
  }

  start(): void {
    this.timer = setInterval(() => {
      this.kick();
    }, this.options.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Look for due work now (after something was enqueued). */
  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolves when nothing due is left (tests and shutdown wait on this). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.wake) clearTimeout(this.wake.timer);
    await this.idle();
  }

  /**
   * Claim and process due items until none is left. Each destination is a lane: its deliveries run in order, lanes run
   * side by side, and a lane that waits (pacing, a platform's Retry-After) holds up no other — new items are claimed
   * as soon as room frees up, up to `batch` in flight. Errors of the store are logged; the next poll tries again.
   */
  async drain(): Promise<void> {
    const lanes = new Map<string, Promise<void>>();
    let inFlight = 0;
    try {
      for (;;) {
        if (this.stopped) break;
        const room = this.options.batch - inFlight;
        const items =
          room > 0
            ? await this.deps.store.outbox.claimDue(this.deps.clock.now(), this.owner, this.options.lockMs, room)
            : [];
        if (items.length === 0) {
          if (lanes.size === 0) break;
          await Promise.race(lanes.values());
          continue;
        }
        for (const item of items) {
          const lane =
            item.topic === DELIVER_TOPIC
              ? destinationKey((item.payload as unknown as DeliveryPayload).destination)
              : item.key;
          inFlight++;
          const queued: Promise<void> = (lanes.get(lane) ?? Promise.resolve())
            .then(() => (this.stopped ? undefined : this.process(item)))
            .finally(() => {
              inFlight--;
              if (lanes.get(lane) === queued) lanes.delete(lane);
            });
          lanes.set(lane, queued);
        }
      }
    } catch (err) {
      // The store is down (readyz says so too): warn and let the next poll try again.
      this.deps.logger[err instanceof UpstreamError ? 'warn' : 'error'](
        { err },
        'outbox: could not read due items; trying again at the next poll',
      );
    }
    await Promise.all(lanes.values());
  }

  private async process(item: OutboxItem): Promise<void> {
    try {
      if (item.topic === EVENT_TOPIC) await this.handle(item);
      else if (item.topic === DELIVER_TOPIC) await this.deliver(item);
      else if (item.topic === CARD_TOPIC) await this.refresh(item);
      else if (item.topic === ADMIN_ACCESS_TOPIC) await this.askForAdminAccess(item);
      else throw new NotFoundError(`unknown outbox topic ${item.topic}`);
      await this.deps.store.outbox.complete(item.key, this.owner, this.deps.clock.now());
    } catch (err) {
      await this.fail(item, err);
    }
  }

  private async handle(item: OutboxItem): Promise<void> {
    const { event, source } = item.payload as unknown as { event: PartnerEvent; source: EventSource };
    const outcome = await handleEvent(this.deps, event, item.attempts);
    await this.fanOut(item.key.slice(EVENT_TOPIC.length + 1), outcome);
    this.deps.logger.info(
      { key: item.key, source, notification: outcome.notification?.event ?? 'none' },
      'outbox: event handled',
    );
  }

  /** One `deliver` item per destination and one `card` item; keys derive from the event, so a replay adds nothing. */
  private async fanOut(eventKey: string, outcome: EventOutcome): Promise<void> {
    const now = this.deps.clock.now();
    const items: Pick<OutboxItem, 'key' | 'topic' | 'payload' | 'dueAt'>[] = [];
    if (outcome.notification) {
      for (const destination of await this.destinations(outcome)) {
        const payload: DeliveryPayload = {
          destination,
          notification: outcome.notification,
          direct: outcome.audience === 'origin',
        };
        items.push({
          key: `${DELIVER_TOPIC}:${eventKey}>${destinationKey(destination)}`,
          topic: DELIVER_TOPIC,
          payload: payload as unknown as Record<string, unknown>,
          dueAt: now,
        });
      }
    }
    if (outcome.request?.card) {
      items.push({
        key: `${CARD_TOPIC}:${eventKey}>${outcome.request.id}`,
        topic: CARD_TOPIC,
        payload: { requestId: outcome.request.id },
        dueAt: now,
      });
    }
    await this.deps.store.outbox.enqueue(items, now);
  }

  private async destinations(outcome: EventOutcome): Promise<Subscription[]> {
    const platforms = new Set(this.deps.notifiers.map((n) => n.platform));
    if (outcome.audience === 'origin') {
      const request = outcome.origin;
      if (!request || !platforms.has(request.requester.platform)) return [];
      return [originOf(request)];
    }
    const all = [
      ...this.deps.notifiers.flatMap((n) => n.standing),
      ...(await this.deps.store.subscriptions.listActive()),
    ];
    const unique = new Map<string, Subscription>();
    for (const s of all) if (platforms.has(s.platform)) unique.set(destinationKey(s), s);
    return [...unique.values()];
  }

  private async deliver(item: OutboxItem): Promise<void> {
    const { destination, notification, direct } = item.payload as unknown as DeliveryPayload;
    const notifier = this.notifierFor(destination.platform);
    const inDoubt = item.attempts - 1 > item.released;
    if (inDoubt && (await notifier.wasDelivered(destination, item.key, item.createdAt)) === true) {
      this.deps.logger.info({ key: item.key }, 'outbox: already posted before a restart; not posting again');
      return;
    }
    if (!direct) {
      const current = await this.deps.store.subscriptions.get(destination.platform, destination.channelId);
      if (current && !current.active) return; // unsubscribed or disabled since: nothing to post
    }
    await this.posting(destination, () =>
      deliverToSubscription(this.deps, notifier, destination, notification, item.key),
    );
  }

  private async refresh(item: OutboxItem): Promise<void> {
    const request = await this.deps.store.requests.get(String(item.payload['requestId']));
    if (!request?.card) return;
    const notifier = this.deps.notifiers.find((n) => n.platform === request.card?.platform);
    if (!notifier) return;
    try {
      await this.posting({ platform: request.card.platform, channelId: request.card.conversationId }, () =>
        notifier.refreshCard(request),
      );
    } catch (err) {
      if (err instanceof DestinationGoneError) return; // the card's conversation is gone: nothing to update
      throw err;
    }
  }

  /** The safety net behind a card posted first: ask now if its follow-up never finished, and show it on the card. */
  private async askForAdminAccess(item: OutboxItem): Promise<void> {
    const { settings } = this.deps;
    const before = await this.deps.store.requests.get(String(item.payload['requestId']));
    if (!before || !settings) return;
    const after = await requestAdminAccess(
      { ...this.deps, settings },
      before.id,
      before.timeline[0]?.actor ?? { kind: 'system', name: 'Partner Relationship Bot' },
    );
    if (after.version === before.version) return;
    this.deps.logger.warn(
      { requestId: after.id },
      'admin access was asked for by the safety net (a follow-up never finished)',
    );
    await this.refresh(item);
  }

  private notifierFor(platform: Platform): ChannelNotifier {
    const notifier = this.deps.notifiers.find((n) => n.platform === platform);
    if (!notifier) throw new NotFoundError(`${platform} is turned off; the notification cannot be posted.`);
    return notifier;
  }

  /**
   * Post to a channel when its platform's windows allow (per process); a refusal with Retry-After holds every post to
   * that channel until then.
   */
  private async posting<T>(destination: Pick<Subscription, 'platform' | 'channelId'>, post: () => Promise<T>) {
    const key = destinationKey(destination);
    const bookedAt = this.limits.book(destination.platform, key, Date.now());
    const wait = bookedAt - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    try {
      return await post();
    } catch (err) {
      if (err instanceof RateLimitedError && err.retryAfterSeconds !== undefined) {
        this.limits.hold(key, Date.now() + err.retryAfterSeconds * 1000);
      }
      throw err;
    } finally {
      this.limits.finished(key, bookedAt, Date.now());
    }
  }

  /** Look again when a rescheduled item falls due, instead of at the next poll. */
  private wakeIn(ms: number): void {
    const at = Date.now() + ms;
    if (this.stopped || (this.wake && this.wake.at <= at)) return;
    if (this.wake) clearTimeout(this.wake.timer);
    const timer = setTimeout(() => {
      this.wake = undefined;
      this.kick();
    }, ms);
    timer.unref();
    this.wake = { timer, at };
  }

  private async fail(item: OutboxItem, err: unknown): Promise<void> {
    const now = this.deps.clock.now();
    const message = err instanceof Error ? err.message : String(err);
    const permanent =
      err instanceof NotFoundError ||
      (err instanceof UpstreamError && !err.retryable) ||
      item.attempts >= this.options.maxAttempts;
    try {
      if (permanent) {
        this.deps.logger.error({ err, key: item.key, attempts: item.attempts }, 'outbox: giving up on an item');
        await this.deps.store.outbox.kill(item.key, this.owner, message, now);
        return;
      }
      const delay =
        err instanceof RateLimitedError && err.retryAfterSeconds !== undefined
          ? err.retryAfterSeconds * 1000 + Math.random() * 250
          : backoff(item.attempts, this.options);
      const known = err instanceof UpstreamError || err instanceof RateLimitedError;
      this.deps.logger[known ? 'warn' : 'error'](
        { err, key: item.key, attempts: item.attempts, retryInMs: Math.round(delay) },
        'outbox: item failed; retrying later',
      );
      await this.deps.store.outbox.reschedule(item.key, this.owner, new Date(now.getTime() + delay), message);
      this.wakeIn(delay);
    } catch (storeErr) {
      // The claim lapses and another pass retries it.
      this.deps.logger.error({ err: storeErr, key: item.key }, 'outbox: could not record a failure');
    }
  }
}

/** Exponential with full jitter in its upper half: base·2^(n-1), capped, times 0.5–1. */
export function backoff(attempt: number, options: Pick<WorkerOptions, 'baseBackoffMs' | 'maxBackoffMs'>): number {
  const ceiling = Math.min(options.maxBackoffMs, options.baseBackoffMs * 2 ** Math.max(0, attempt - 1));
  return ceiling * (0.5 + Math.random() / 2);
}

export function destinationKey(destination: Pick<Subscription, 'platform' | 'channelId'>): string {
  return `${destination.platform}:${destination.channelId}`;
}

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
