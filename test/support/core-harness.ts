import { readFileSync } from 'node:fs';
import { openEmbeddedStore } from '../../src/adapters/store/embedded/embedded-store.js';
import { documentedResellerLink } from '../../src/adapters/partner-center/reseller-link.js';
import { DEFAULT_DRAFT_TEMPLATE, EMULATOR_PARTNER_TENANT_ID } from '../../src/config.js';
import { OPEN_ACCESS, type AccessRules } from '../../src/core/access.js';
import type { CommandInput, CoreDeps } from '../../src/core/commands/types.js';
import { systemClock } from '../../src/adapters/system/clock.js';
import type { JobClock } from '../../src/core/outbox/types.js';
import type { IdSource, Store } from '../../src/core/ports.js';
import { REQUEST_ID_ALPHABET, REQUEST_ID_PREFIX } from '../../src/core/requests/ids.js';
import { compileDraftTemplate } from '../../src/core/requests/draft.js';
import { captureLogger } from './logs.js';
import { tempDir } from './temp.js';

export const T0 = new Date('2026-11-23T10:00:00.000Z');

/**
 * A clock whose time only moves when told to. Its timers are real (a wait of 20 ms takes 20 ms): tests move the date
 * (days of reminders and expiries) and wait on state, never on these timers.
 */
export class ManualClock implements JobClock {
  constructor(private time = T0.getTime()) {}
  now(): Date {
    return new Date(this.time);
  }
  after(ms: number, fn: () => void): () => void {
    return systemClock.after(ms, fn);
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Ids RR-00001, RR-00002, … in order; `queue` lets a test force specific ids first (e.g. a collision). */
export class SequenceIds implements IdSource {
  readonly queue: string[] = [];
  private n = 0;
  requestId(): string {
    const forced = this.queue.shift();
    if (forced) return forced;
    this.n++;
    let rest = this.n;
    let body = '';
    for (let i = 0; i < 5; i++) {
      body = REQUEST_ID_ALPHABET.charAt(rest % 32) + body;
      rest = Math.floor(rest / 32);
    }
    return REQUEST_ID_PREFIX + body;
  }
}

const LINK = documentedResellerLink(EMULATOR_PARTNER_TENANT_ID, '0');
export const RESELLER_LINK = { resellerLink: () => Promise.resolve(LINK) };
export const DRAFT_TEMPLATE = compileDraftTemplate(readFileSync(DEFAULT_DRAFT_TEMPLATE, 'utf8'));

export interface Harness {
  deps: CoreDeps;
  store: Store;
  clock: ManualClock;
  ids: SequenceIds;
  logs: ReturnType<typeof captureLogger>;
  close(): Promise<void>;
}

/** Core dependencies on a real embedded store in a temp dir, a manual clock and predictable ids. */
export async function coreHarness(options: { access?: AccessRules; store?: Store } = {}): Promise<Harness> {
  const dir = await tempDir();
  const store = options.store ?? (await openEmbeddedStore(dir.path));
  const clock = new ManualClock();
  const ids = new SequenceIds();
  const logs = captureLogger();
  const deps: CoreDeps = {
    store,
    clock,
    ids,
    links: RESELLER_LINK,
    logger: logs.logger,
    settings: {
      partnerName: 'Northwind Partners',
      draftTemplate: DRAFT_TEMPLATE,
      access: options.access ?? OPEN_ACCESS,
    },
  };
  return {
    deps,
    store,
    clock,
    ids,
    logs,
    async close() {
      await store.close();
      await dir.remove();
    },
  };
}

export const TEAMS_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** A channel message from Ana in a Teams tenant; override what a test needs. */
export function input(text: string, overrides: Partial<CommandInput> = {}): CommandInput {
  return {
    platform: 'teams',
    tenant: TEAMS_TENANT,
    user: { id: '29:1ana', name: 'Ana Lopez', aadObjectId: '6b1f8b8e-1b2c-4d3e-9f00-0000000000a1' },
    conversation: { id: '19:general@thread.tacv2', kind: 'channel', name: 'General' },
    text,
    ...overrides,
  };
}
