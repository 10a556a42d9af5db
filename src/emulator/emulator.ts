/**
 * The Partner Center + Graph emulator (docs/partner-center.md): one router with Partner Center under `/emulator/partner-center`,
 * Graph under `/emulator/graph`, the control endpoints under `/emulator/control` and the webhook signing certificate
 * under `/emulator/certs`. Mounted on the bot's own server in local mode, or run alone (`npm run emulator`).
 */
import { Router } from 'express';
import type { Logger } from '../core/ports.js';
import { controlRoutes } from './control.js';
import { graphApi } from './graph-api.js';
import { partnerCenterApi } from './partner-center-api.js';
import { EmulatorState, type Realism } from './state.js';
import { webhookRegistrationRoutes } from './webhook-registration.js';
import { CERTIFICATE_FILE, emulatorSigningIdentity, WebhookSender } from './webhooks.js';

export interface EmulatorOptions {
  readonly partnerTenantId: string;
  readonly msppId: string;
  /** this server's own base URL, known once it listens */
  readonly baseUrl: () => string;
  /** where to send webhooks (undefined: none) */
  readonly webhookUrl: () => string | undefined;
  readonly logger: Logger;
  readonly webhookRetryDelayMs?: number;
  /** how inconvenient to be (default: like the service) */
  readonly realism?: Partial<Realism>;
}

export interface Emulator {
  readonly router: Router;
  readonly state: EmulatorState;
  readonly webhooks: WebhookSender;
}

export function createEmulator(options: EmulatorOptions): Emulator {
  const state = new EmulatorState(options.realism);
  const identity = emulatorSigningIdentity();
  const webhooks = new WebhookSender(
    state,
    {
      url: options.webhookUrl,
      certificateUrl: () => `${options.baseUrl()}/emulator/certs/${CERTIFICATE_FILE}`,
      auditBase: () => `${options.baseUrl()}/emulator/partner-center`,
    },
    identity,
    options.logger,
    options.partnerTenantId,
    options.webhookRetryDelayMs,
  );
  const router = Router();
  router.use(
    '/emulator/partner-center/webhooks/v1',
    webhookRegistrationRoutes(state, webhooks, () => `${options.baseUrl()}/emulator/partner-center`),
  );
  router.use('/emulator/partner-center', partnerCenterApi(state, options.partnerTenantId, options.msppId));
  router.use(
    '/emulator/graph',
    graphApi(state, (events, uri, name, tenantId) => {
      webhooks.send(events, uri, name, tenantId);
    }),
  );
  router.use(
    '/emulator/control',
    controlRoutes(state, webhooks, () => `${options.baseUrl()}/emulator/partner-center`),
  );
  router.get(`/emulator/certs/${CERTIFICATE_FILE}`, (_req, res) => {
    res.type('application/pkix-cert').send(identity.certificate.raw);
  });
  return { router, state, webhooks };
}
