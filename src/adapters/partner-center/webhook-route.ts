/**
 * `POST /api/partner-center/webhooks` (docs/partner-center.md): verify the signature over the exact bytes, then record the event in
 * the outbox and answer 200 at once; the outbox worker does the rest. Anything unsigned or badly signed gets 401 and
 * changes nothing. Redeliveries record the same event key, which the outbox stores once.
 */
import { Router, type Request, type Response } from 'express';
import { StorageUnavailableError } from '../../core/errors.js';
import type { Logger, Store, Clock } from '../../core/ports.js';
import { recordEvents, type PartnerEvent } from '../../core/watch/events.js';
import { jsonObjectBody, rawBody } from '../../http/body.js';
import { sendError } from '../../http/errors.js';
import { WebhookRejected, type WebhookVerifier } from './webhook-verify.js';

export const WEBHOOK_PATH = '/api/partner-center/webhooks';

/** The events the bot handles (docs/partner-center.md#webhooks); others (test-created, subscription-updated, …) are acknowledged and ignored. */
export function eventFromWebhook(body: Record<string, unknown>): PartnerEvent | 'ignored' | { problem: string } {
  const name = typeof body['EventName'] === 'string' ? body['EventName'].toLowerCase() : '';
  if (!name) return { problem: 'EventName is missing.' };
  const uri = typeof body['ResourceUri'] === 'string' ? body['ResourceUri'] : '';
  if (
    name === 'reseller-relationship-accepted-by-customer' ||
    name === 'indirect-reseller-relationship-accepted-by-customer'
  ) {
    const tenantId = /\/customers\/([0-9a-f-]{36})(?:[/?#]|$)/i.exec(uri)?.[1];
    if (!tenantId) return { problem: 'ResourceUri does not name a customer (…/v1/customers/{tenant id}).' };
    return { kind: 'customer-accepted', tenantId: tenantId.toLowerCase() };
  }
  const gdap = /^granular-admin-relationship-(approved|activated|terminated|expired)$/.exec(name)?.[1];
  if (gdap) {
    const relationshipId = /\/granularAdminRelationships\/([A-Za-z0-9-]{1,100})(?:[/?#]|$)/i.exec(uri)?.[1];
    if (!relationshipId) return { problem: 'ResourceUri does not name a GDAP relationship.' };
    const to = gdap === 'terminated' ? 'revoked' : gdap === 'expired' ? 'expired' : 'granted';
    return { kind: 'admin-changed', relationshipId, to };
  }
  const assignment = /^granular-admin-access-assignment-(created|activated|updated|deleted)$/.exec(name)?.[1];
  if (assignment) {
    const ids =
      /\/granularAdminRelationships\/([A-Za-z0-9-]{1,100})\/accessAssignments\/([A-Za-z0-9-]{1,100})(?:[/?#]|$)/i.exec(
        uri,
      );
    if (!ids?.[1] || !ids[2]) return { problem: 'ResourceUri does not name a GDAP access assignment.' };
    // an update can happen more than once: its time tells one from the next; copies of one delivery share it
    const when =
      assignment === 'updated' && typeof body['ResourceChangeUtcDate'] === 'string'
        ? `@${body['ResourceChangeUtcDate']}`
        : '';
    return { kind: 'access-changed', relationshipId: ids[1], mark: `${assignment}/${ids[2]}${when}` };
  }
  return 'ignored';
}

export function webhookRoutes(deps: {
  verifier: WebhookVerifier;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** tell the outbox worker there is work */
  onRecorded: () => void;
}): Router {
  const router = Router();
  router.post(
    WEBHOOK_PATH,
    ...rawBody,
    async (req: Request, res: Response, next) => {
      try {
        await deps.verifier.verify(req.headers, req.rawBody ?? Buffer.alloc(0));
        next();
      } catch (err) {
        if (!(err instanceof WebhookRejected)) throw err;
        deps.logger.warn({ reason: err.message, ip: req.ip }, 'Partner Center webhook refused');
        sendError(res, 401, 'unauthorized', `The webhook signature was not accepted: ${err.message}`);
      }
    },
    jsonObjectBody,
    async (req: Request, res: Response) => {
      const body = req.body as Record<string, unknown>;
      const event = eventFromWebhook(body);
      if (typeof event === 'object' && 'problem' in event) {
        sendError(res, 400, 'bad_event', event.problem);
        return;
      }
      if (String(body['EventName']).toLowerCase() === 'test-created') {
        // `npm run partner-center:webhooks -- test`: proof that Partner Center reaches the bot, signature and all
        deps.logger.info(
          { eventName: 'test-created', resourceUri: body['ResourceUri'] },
          'Partner Center test event received: webhooks reach the bot',
        );
        res.status(200).json({ status: 'test received' });
        return;
      }
      if (event === 'ignored') {
        deps.logger.info({ eventName: body['EventName'] }, 'Partner Center webhook: event not handled; acknowledged');
        res.status(200).json({ status: 'ignored' });
        return;
      }
      let recorded: number;
      try {
        recorded = await recordEvents(deps.store, [event], 'webhook', deps.clock.now());
      } catch (err) {
        if (!(err instanceof StorageUnavailableError)) throw err;
        deps.logger.warn({ err }, 'Partner Center webhook not recorded: the store is unavailable');
        res.set('Retry-After', '30');
        sendError(res, 503, 'unavailable', 'The event could not be stored; please deliver it again later.');
        return;
      }
      deps.logger.info({ eventName: body['EventName'], recorded }, 'Partner Center webhook recorded');
      res.status(200).json({ status: recorded ? 'recorded' : 'duplicate' });
      deps.onRecorded();
    },
  );
  return router;
}
