/**
 * Partner Center webhook event names (docs/partner-center.md#webhooks): the ones the bot handles, which
 * `npm run partner-center:webhooks -- register` registers, and every name Partner Center documents.
 */

/** What the bot acts on, plus `test-created` (needed to send a test event). */
export const BOT_WEBHOOK_EVENTS = [
  'test-created',
  'reseller-relationship-accepted-by-customer',
  'indirect-reseller-relationship-accepted-by-customer',
  'granular-admin-relationship-approved',
  'granular-admin-relationship-activated',
  'granular-admin-relationship-terminated',
  'granular-admin-relationship-expired',
  'granular-admin-access-assignment-created',
  'granular-admin-access-assignment-activated',
  'granular-admin-access-assignment-updated',
  'granular-admin-access-assignment-deleted',
] as const;

/** Every event Partner Center documents (`GET /webhooks/v1/registration/events`). */
export const PARTNER_CENTER_WEBHOOK_EVENTS = [
  ...BOT_WEBHOOK_EVENTS,
  'subscription-updated',
  'referral-created',
  'referral-updated',
  'related-referral-created',
  'related-referral-updated',
  'dap-admin-relationship-approved',
  'dap-admin-relationship-terminated',
  'dap-admin-relationship-terminated-by-microsoft',
  'usagerecords-thresholdExceeded',
  'azure-fraud-event-detected',
  'invoice-ready',
] as const;
