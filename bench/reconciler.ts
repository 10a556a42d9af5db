/**
 * The reconciler at scale: the emulator (own process) holds `customers` customers and 30,000 GDAP relationships; we
 * time a steady-state reconciler run (the partner's book already known) against a loop that only fetches the same pages
 * through the same client, side by side per round, and count the store writes of runs with 0 and with 100 changes.
 */
import { PartnerCenterDirectory } from '../src/adapters/partner-center/directory.js';
import { emulatorTokens } from '../src/adapters/partner-center/tokens.js';
import { openEmbeddedStore } from '../src/adapters/store/embedded/embedded-store.js';
import { systemClock } from '../src/adapters/system/clock.js';
import { reconcile } from '../src/core/watch/reconcile.js';
import { startChild } from './lib/child.js';
import { countingStore } from './lib/counting-store.js';
import { collectGarbage, rssMb, silentLogger, tempDir } from './lib/quiet.js';
import { range, ratios, type Range } from './lib/stats.js';

export interface ReconcilerResult {
  readonly customers: number;
  readonly relationships: number;
  readonly rounds: number;
  readonly firstRunMs: number;
  readonly firstRunWrites: number;
  readonly fetchOnlyMs: Range;
  readonly reconcileMs: Range;
  readonly timeRatio: Range;
  readonly rssGrowthMb: Range;
  readonly writesWith0Changes: number;
  readonly writesWith100Changes: number;
}

const elapsed = async (work: () => Promise<unknown>) => {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
};

export async function benchReconciler(options: { customers: number; relationships: number; rounds: number }) {
  const emulator = await startChild('emulator-server.ts', [String(options.customers), String(options.relationships)]);
  const dir = await tempDir('prb-bench-reconciler-');
  const inner = await openEmbeddedStore(dir.path);
  const counting = countingStore(inner);
  const { store, counts } = counting;
  const directory = new PartnerCenterDirectory({
    partnerCenterUrl: `${emulator.url}/emulator/partner-center`,
    graphUrl: `${emulator.url}/emulator/graph`,
    tokens: emulatorTokens,
    logger: silentLogger,
  });
  const deps = { store, clock: systemClock, logger: silentLogger, directory };
  let fetched = 0;
  const fetchOnly = async () => {
    for await (const page of directory.customers()) fetched += page.length;
    for await (const page of directory.gdapRelationships()) fetched += page.length;
  };
  try {
    const firstRunMs = await elapsed(() => reconcile(deps, 'bench'));
    const firstRunWrites = counts.calls;
    const fetchMs: number[] = [];
    const reconcileMs: number[] = [];
    const rss: number[] = [];
    let writesWith0Changes = 0;
    for (let round = 0; round < options.rounds; round++) {
      const measureOurs = async () => {
        collectGarbage();
        const before = rssMb();
        counting.reset();
        reconcileMs.push(await elapsed(() => reconcile(deps, 'bench')));
        rss.push(rssMb() - before);
        writesWith0Changes = counts.calls;
      };
      if (round % 2 === 0) {
        fetchMs.push(await elapsed(fetchOnly));
        await measureOurs();
      } else {
        await measureOurs();
        fetchMs.push(await elapsed(fetchOnly));
      }
    }
    for (let i = 0; i < 100; i++) {
      await fetch(`${emulator.url}/emulator/control/customers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ companyName: `New Customer ${i}`, domain: `new${i}.example` }),
      });
    }
    counting.reset();
    await reconcile(deps, 'bench');
    const writesWith100Changes = counts.calls;
    if (fetched === 0) throw new Error('the baseline fetched nothing');
    return {
      customers: options.customers,
      relationships: options.relationships,
      rounds: options.rounds,
      firstRunMs,
      firstRunWrites,
      fetchOnlyMs: range(fetchMs),
      reconcileMs: range(reconcileMs),
      timeRatio: ratios(reconcileMs, fetchMs),
      rssGrowthMb: range(rss),
      writesWith0Changes,
      writesWith100Changes,
    } satisfies ReconcilerResult;
  } finally {
    await inner.close();
    await emulator.stop();
    await dir.remove();
  }
}
