/**
 * The emulator's webhook registration API (docs/partner-center.md#registering): the events Partner Center offers, the
 * one registration per partner (create with POST — refused when one exists —, change with PUT, read, delete) and test
 * events (`validationEvents`), limited to a few a minute as documented, whose delivery results can be read back.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { PARTNER_CENTER_WEBHOOK_EVENTS } from '../adapters/partner-center/webhook-events.js';
import { jsonObjectBody, rawBody } from '../http/body.js';
import { param } from './params.js';
import { gate, partnerCenterError } from './partner-center-api.js';
import type { EmulatorState, WebhookRegistration } from './state.js';
import type { WebhookSender } from './webhooks.js';

/** Test events Partner Center accepts per minute (docs/partner-center.md#registering). */
export const TEST_EVENTS_PER_MINUTE = 2;

export function webhookRegistrationRoutes(state: EmulatorState, webhooks: WebhookSender, base: () => string): Router {
  const router = Router();
  router.use(gate(state, 'pc'));
  const shown = (r: WebhookRegistration) => ({
    SubscriberId: r.subscriberId,
    WebhookUrl: webhooks.registeredUrl() ?? '',
    WebhookEvents: r.events,
    LastModifiedTimestamp: r.lastModified,
  });

  router.get('/registration/events', (_req, res) => {
    res.json(PARTNER_CENTER_WEBHOOK_EVENTS);
  });
  router.get('/registration', (_req, res) => {
    if (!state.registration) partnerCenterError(res, 404, 2100, 'No webhook registration exists for this partner.');
    else res.json(shown(state.registration));
  });
  const save = (req: Request, res: Response, creating: boolean) => {
    const body = req.body as Record<string, unknown>;
    const url = body['WebhookUrl'];
    const events = body['WebhookEvents'];
    if (creating && state.registration) {
      partnerCenterError(res, 409, 2101, 'A webhook registration already exists; change it with PUT.');
      return;
    }
    if (!creating && !state.registration) {
      partnerCenterError(res, 404, 2100, 'No webhook registration exists for this partner; create it with POST.');
      return;
    }
    if (typeof url !== 'string' || !isReceiver(url)) {
      partnerCenterError(res, 400, 2102, 'WebhookUrl must be an https URL (http only for a loopback address).');
      return;
    }
    const known: readonly string[] = PARTNER_CENTER_WEBHOOK_EVENTS;
    if (!Array.isArray(events) || events.some((e) => typeof e !== 'string' || !known.includes(e))) {
      partnerCenterError(res, 400, 2103, 'WebhookEvents must list events from GET /webhooks/v1/registration/events.');
      return;
    }
    state.registration = {
      webhookUrl: url,
      events: [...new Set(events as string[])],
      subscriberId: state.registration?.subscriberId ?? randomUUID(),
      lastModified: new Date(state.now()).toISOString(),
    };
    res.status(creating ? 201 : 200).json(shown(state.registration));
  };
  router.post('/registration', ...rawBody, jsonObjectBody, (req, res) => {
    save(req, res, true);
  });
  router.put('/registration', ...rawBody, jsonObjectBody, (req, res) => {
    save(req, res, false);
  });
  router.delete('/registration', (_req, res) => {
    state.registration = undefined;
    res.status(204).end();
  });

  router.post('/registration/validationEvents', (_req, res) => {
    const registration = state.registration;
    const url = webhooks.registeredUrl();
    if (!registration || !url || !registration.events.includes('test-created')) {
      partnerCenterError(res, 400, 2104, 'Register test-created (and a WebhookUrl) before asking for a test event.');
      return;
    }
    const now = state.now();
    const recent = state.testEventTimes.filter((t) => now - t < 60_000);
    if (recent.length >= TEST_EVENTS_PER_MINUTE) {
      const seconds = Math.max(1, Math.ceil((60_000 - (now - (recent[0] ?? now))) / 1000));
      res.set('Retry-After', String(seconds));
      res.status(429).json({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${seconds} seconds.` });
      return;
    }
    state.testEventTimes.splice(0, state.testEventTimes.length, ...recent, now);
    const correlationId = randomUUID();
    const event = { correlationId, callbackUrl: url, status: 'pending' as const, results: [] };
    state.validationEvents.set(correlationId, event);
    webhooks.sendTest(event, `${base()}/webhooks/v1/registration/validationEvents/${correlationId}`);
    res.json({ correlationId });
  });
  router.get('/registration/validationEvents/:id', (req, res) => {
    const event = state.validationEvents.get(param(req, 'id'));
    if (!event) {
      partnerCenterError(res, 404, 2105, 'No test event with this correlation id (they are kept for 7 days).');
      return;
    }
    res.json({ ...event, partnerId: '' });
  });
  return router;
}

function isReceiver(value: string): boolean {
  try {
    const url = new URL(value);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
  } catch {
    return false;
  }
}
