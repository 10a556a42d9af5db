/**
 * Writes to a datafile that fail on the disk's side — full (ENOSPC, EDQUOT, EFBIG), read-only (EROFS), gone bad (EIO)
 * or forbidden (EACCES, EPERM) — leave nothing half done: nedb changes its memory before it appends to the file, so a
 * failed append would leave a record the file never got and a torn last line. Each collection's writes run one at a
 * time; on such a failure the file is cut back to its size before the write, the collection is read back from it, and
 * the caller gets `StorageUnavailableError` ("nothing was changed"). The store reports itself not ready until a write
 * goes through again.
 */
import { stat, truncate, appendFile } from 'node:fs/promises';
import { StorageUnavailableError } from '../../../core/errors.js';

const DISK_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS', 'EIO', 'EACCES', 'EPERM']);

/** The store's view of its disk: the last write problem, until a write succeeds again. */
/** A recheck writes this much (blank lines, which nedb skips) and takes it back: room for a real write, not a byte. */
const PROBE_BYTES = 64 * 1024;

export class DiskHealth {
  private failure: { file: string; reason: string; probe: () => Promise<void> } | undefined;
  private blocked: string | undefined;

  get problem(): string | undefined {
    return this.blocked ?? this.failure?.reason;
  }

  /** No more writes, for good (the data directory's lock was lost). */
  block(reason: string): void {
    this.blocked = reason;
  }

  /** Throws while writes are blocked. */
  checkWritable(): void {
    if (this.blocked) throw new StorageUnavailableError(`Storage is unavailable: ${this.blocked}.`);
  }

  failed(file: string, err: NodeJS.ErrnoException, probe: () => Promise<void>): void {
    const why: Record<string, string> = {
      ENOSPC: 'the disk is full',
      EDQUOT: 'the disk quota is used up',
      EFBIG: 'the file reached its size limit',
      EROFS: 'the disk is read-only',
      EIO: 'the disk reports an I/O error',
    };
    const reason = `cannot write ${file}: ${why[err.code ?? ''] ?? 'not allowed'} (${err.code})`;
    this.failure = { file, reason, probe };
  }

  /** A write to `file` went through: a failure of that file is over (other files may still be failing). */
  succeeded(file: string): void {
    if (this.failure?.file === file) this.failure = undefined;
  }

  /** Try the failing file again: ready again once it takes a real write's worth. */
  async recheck(): Promise<void> {
    const failure = this.failure;
    if (!failure) return;
    try {
      await failure.probe();
      if (this.failure === failure) this.failure = undefined;
    } catch {
      // still failing: `problem` keeps saying why
    }
  }
}

export function isDiskError(err: unknown): err is NodeJS.ErrnoException {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && DISK_ERRORS.has(code);
}

/** One collection's writes: one at a time, and undone on a disk failure. */
export function writesTo(
  file: string,
  reload: () => Promise<void>,
  health: DiskHealth,
): <R>(write: () => Promise<R>) => Promise<R> {
  let last: Promise<unknown> = Promise.resolve();
  return <R>(write: () => Promise<R>): Promise<R> => {
    const run = async (): Promise<R> => {
      health.checkWritable();
      const before = await sizeOf(file);
      try {
        const result = await write();
        health.succeeded(file);
        return result;
      } catch (err) {
        if (!isDiskError(err)) throw err;
        health.failed(file, err, () => enqueue(() => probe(file)));
        if (before !== undefined) await truncate(file, before).catch(() => undefined);
        await reload().catch(() => undefined); // memory back to what the file holds
        throw new StorageUnavailableError(
          `Storage is unavailable: ${health.problem ?? err.message}. Nothing was changed.`,
          { cause: err },
        );
      }
    };
    return enqueue(run);
  };
  function enqueue<R>(run: () => Promise<R>): Promise<R> {
    const result = last.then(run, run);
    last = result.catch(() => undefined);
    return result;
  }
}

/** Blank lines appended (nedb skips them) and taken back: fails while the disk cannot take a real write. */
async function probe(file: string): Promise<void> {
  const before = await sizeOf(file);
  try {
    await appendFile(file, '\n'.repeat(PROBE_BYTES));
  } finally {
    if (before !== undefined) await truncate(file, before).catch(() => undefined);
  }
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}
