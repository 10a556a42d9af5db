/**
 * Webhook calls signed exactly as Partner Center signs them (docs/partner-center.md#webhooks): RSA-SHA256 over
 * the body bytes in `Authorization: Signature …`, the certificate's URL in `X-MS-Certificate-Url`. Delivered like
 * Partner Center does: up to 10 attempts, then given up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign, X509Certificate } from 'node:crypto';
import type { Logger } from '../core/ports.js';
import { PACKAGE_ROOT } from '../paths.js';
import type { EmulatorState, ValidationEvent } from './state.js';

const CERT_DIR = join(PACKAGE_ROOT, 'emulator', 'certs');
export const CERTIFICATE_FILE = 'pcnotifications-dispatch.microsoft.com.cer';

export interface SigningIdentity {
  readonly certificate: X509Certificate;
  readonly privateKeyPem: string;
}

export function emulatorSigningIdentity(): SigningIdentity {
  return {
    certificate: new X509Certificate(readFileSync(join(CERT_DIR, 'webhook-signing.pem'))),
    privateKeyPem: readFileSync(join(CERT_DIR, 'webhook-signing.key'), 'utf8'),
  };
}

export function emulatorTestCa(): X509Certificate {
  return new X509Certificate(readFileSync(join(CERT_DIR, 'test-ca.pem')));
}

export function signBody(body: string, privateKeyPem: string): string {
  return sign('sha256', Buffer.from(body, 'utf8'), privateKeyPem).toString('base64');
}

export interface WebhookTarget {
  /** where the bot listens, e.g. http://127.0.0.1:3978/api/partner-center/webhooks */
  url(): string | undefined;
  /** where the emulator serves its certificate */
  certificateUrl(): string;
  /** the emulator's Partner Center base, for `AuditUri` */
  auditBase(): string;
}

export const DELIVERY_ATTEMPTS = 10;

export class WebhookSender {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly state: EmulatorState,
    private readonly target: WebhookTarget,
    private readonly identity: SigningIdentity,
    private readonly logger: Logger,
    private readonly partnerTenantId: string,
    private readonly retryDelayMs = 250,
  ) {}

  /**
   * Fire and forget (the control endpoint answers at once); `settled()` waits for every delivery. The events of one
   * change go out as the realism settings say: each `webhookCopies` times, after `webhookDelayMs`, last first when
   * `webhookOutOfOrder`.
   */
  send(eventNames: readonly string[], resourceUri: string | null, resourceName: string, tenantId?: string): void {
    const url = this.registeredUrl();
    const registered = eventNames.filter((name) => this.state.registration?.events.includes(name));
    if (!this.state.webhooksEnabled || !url || registered.length === 0) return;
    const { webhookCopies, webhookDelayMs, webhookOutOfOrder } = this.state.realism;
    const ordered = webhookOutOfOrder ? [...registered].reverse() : registered;
    const at = this.state.now();
    const bodies = ordered.map((eventName) => ({
      eventName,
      body: JSON.stringify({
        EventName: eventName,
        ResourceUri: resourceUri,
        ResourceName: resourceName,
        AuditUri: this.auditUri(eventName, tenantId, at),
        ResourceChangeUtcDate: new Date(at).toISOString(),
      }),
    }));
    const delivery = (async () => {
      if (webhookDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, webhookDelayMs));
      for (let copy = 0; copy < Math.max(1, webhookCopies); copy++) {
        for (const { eventName, body } of bodies) await this.deliver(url, eventName, body);
      }
    })().finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Where the registration sends events: its own URL, else the target the emulator was started with. */
  registeredUrl(): string | undefined {
    const registration = this.state.registration;
    return registration ? (registration.webhookUrl ?? this.target.url()) : undefined;
  }

  /**
   * Partner Center's test event (`validationEvents`): one `test-created` delivery, signed like every other, with the
   * receiver's answer kept for `GET …/validationEvents/{correlationId}`.
   */
  sendTest(event: ValidationEvent, resourceUri: string): void {
    const body = JSON.stringify({
      EventName: 'test-created',
      ResourceUri: resourceUri,
      ResourceName: 'test',
      AuditUri: null,
      ResourceChangeUtcDate: new Date(this.state.now()).toISOString(),
    });
    const delivery = this.deliver(event.callbackUrl, 'test-created', body)
      .then((status) => {
        const ok = typeof status === 'number' && status >= 200 && status < 300;
        event.results.push({
          responseCode: typeof status === 'number' ? (ok ? 'OK' : String(status)) : 'Error',
          responseMessage: ok ? '' : `The receiver answered ${status}.`,
          systemError: typeof status === 'number' ? '' : status,
          dateTimeUtc: new Date(this.state.now()).toISOString(),
        });
        event.status = 'completed';
      })
      .finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Every delivery done, and every change the emulator still had under way (which may send more). */
  /** a delivery or a change of the service's own (an asynchronous lock, an assignment activating) under way */
  get busy(): boolean {
    return this.pending.size > 0 || this.state.pending.size > 0;
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0 || this.state.pending.size > 0) {
      await Promise.all([...this.pending, ...this.state.pending]);
    }
  }

  /** The audit record Partner Center links each event to: `{partner}_{customer}_{event}_{ticks}`. */
  private auditUri(eventName: string, tenantId: string | undefined, at: number): string {
    const ticks = BigInt(at) * 10_000n + 621_355_968_000_000_000n;
    const record = `${this.partnerTenantId}_${tenantId ?? '00000000-0000-0000-0000-000000000000'}_${eventName.replace(/-/g, '')}_${ticks}`;
    return `${this.target.auditBase()}/auditactivity/v1/auditrecords/${record}`;
  }

  /** Deliver with retries; the last answer (a status, or why there was none). */
  private async deliver(url: string, eventName: string, body: string): Promise<number | string> {
    const headers = {
      'content-type': 'application/json',
      authorization: `Signature ${signBody(body, this.identity.privateKeyPem)}`,
      'x-ms-certificate-url': this.target.certificateUrl(),
      'x-ms-signature-algorithm': 'rsa-sha256',
    };
    for (let attempt = 1; attempt <= DELIVERY_ATTEMPTS; attempt++) {
      let status: number | string;
      try {
        const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
        status = response.status;
        await response.arrayBuffer();
      } catch (err) {
        status = (err as Error).message;
      }
      this.state.webhookLog.push({ eventName, at: new Date(this.state.now()).toISOString(), status });
      if (typeof status === 'number' && status >= 200 && status < 300) return status;
      // a test event is not retried: Partner Center reports what the receiver answered
      if (eventName === 'test-created') return status;
      if (attempt < DELIVERY_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, this.retryDelayMs * 2 ** (attempt - 1))));
      }
    }
    this.logger.warn({ eventName }, `emulator: webhook not delivered after ${DELIVERY_ATTEMPTS} attempts`);
    return 'not delivered';
  }
}
