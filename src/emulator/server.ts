/** The emulator on its own HTTP server (`npm run emulator`, tests, benchmarks). */
import type { Server } from 'node:http';
import type { Logger } from '../core/ports.js';
import { closeServer, createHttpServer, listen } from '../http/server.js';
import { createEmulator, type Emulator } from './emulator.js';
import type { Realism } from './state.js';

export interface EmulatorServer {
  readonly url: string;
  readonly emulator: Emulator;
  readonly server: Server;
  /** where webhooks go; may be changed while running (e.g. a restarted bot on another port) */
  webhookUrl: string | undefined;
  close(): Promise<void>;
}

export async function startEmulatorServer(options: {
  port: number;
  host: string;
  webhookUrl: string | undefined;
  partnerTenantId: string;
  msppId: string;
  logger: Logger;
  webhookRetryDelayMs?: number;
  realism?: Partial<Realism>;
}): Promise<EmulatorServer> {
  let url = '';
  const handle: { webhookUrl: string | undefined } = { webhookUrl: options.webhookUrl };
  const emulator = createEmulator({
    partnerTenantId: options.partnerTenantId,
    msppId: options.msppId,
    baseUrl: () => url,
    webhookUrl: () => handle.webhookUrl,
    logger: options.logger,
    ...(options.webhookRetryDelayMs === undefined ? {} : { webhookRetryDelayMs: options.webhookRetryDelayMs }),
    ...(options.realism === undefined ? {} : { realism: options.realism }),
  });
  const server = createHttpServer({ logger: options.logger, routers: [emulator.router] });
  url = await listen(server, options.port, options.host);
  return Object.assign(handle, {
    url,
    emulator,
    server,
    async close() {
      await emulator.webhooks.settled();
      await closeServer(server, 2_000);
    },
  });
}
