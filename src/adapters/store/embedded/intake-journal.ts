/**
 * The fast way into the embedded outbox, for work a platform is about to be told was received (Slack's commands):
 * one line appended to `intake.log` with a single write, nothing else waited for. nedb's outbox is busy with the job
 * runner's claims and completions, and an acknowledgement queued behind them — or behind the file-system thread pool
 * they keep busy — is slow. The write is synchronous on purpose: one small append to the page cache costs microseconds,
 * less than a trip through the thread pool under load, and is as durable as nedb's own appends (a killed process
 * loses nothing the kernel took).
 *
 * The jobs reach the outbox when the runner next claims (`take`), and at start-up whatever the journal holds is added
 * again (a key already in the outbox is dropped), so a crash after the append loses nothing. The journal is emptied
 * once everything in it is in the outbox.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { StorageUnavailableError } from '../../../core/errors.js';
import type { OutboxDoc } from '../documents.js';
import { isDiskError } from './writes.js';

export class IntakeJournal {
  /** written to the journal, not yet handed to the outbox */
  private written: OutboxDoc[] = [];
  private fd: number | undefined;
  /** the journal's length (it is emptied at start-up), to cut a write that did not finish back */
  private size = 0;

  constructor(private readonly file: string) {}

  /** The jobs a journal left behind (a crash): to be added to the outbox before anything else. */
  static async leftBehind(file: string): Promise<OutboxDoc[]> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const docs: OutboxDoc[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        docs.push(...reviveDocs(JSON.parse(line) as unknown));
      } catch {
        // a half-written last line: that append never finished, so nobody was told it was received
      }
    }
    return docs;
  }

  /** Resolves once the jobs are on disk (already, when it returns: the write is synchronous). */
  append(docs: readonly OutboxDoc[]): Promise<void> {
    if (docs.length === 0) return Promise.resolve();
    const bytes = Buffer.from(`${JSON.stringify(docs)}\n`);
    try {
      this.fd ??= openSync(this.file, 'a');
      const written = writeSync(this.fd, bytes);
      if (written !== bytes.length) {
        ftruncateSync(this.fd, this.size);
        throw Object.assign(new Error(`only ${written} of ${bytes.length} bytes were written`), { code: 'ENOSPC' });
      }
    } catch (err) {
      if (this.fd !== undefined) {
        try {
          ftruncateSync(this.fd, this.size);
        } catch {
          // the disk refuses even that: the next start-up leaves a half-written last line out
        }
      }
      const code = isDiskError(err) ? err.code : undefined;
      return Promise.reject(
        code
          ? new StorageUnavailableError(`Storage is unavailable: cannot write ${this.file} (${code}).`, { cause: err })
          : err instanceof Error
            ? err
            : new Error(String(err)),
      );
    }
    this.size += bytes.length;
    this.written.push(...docs);
    return Promise.resolve();
  }

  /** The jobs written since the last call, for the outbox; once they are in it, call `absorbed`. */
  take(): OutboxDoc[] {
    const taken = this.written;
    this.written = [];
    return taken;
  }

  /** Everything taken so far is in the outbox: when nothing was written meanwhile, empty the journal. */
  absorbed(): void {
    if (this.written.length > 0 || this.size === 0 || this.fd === undefined) return;
    try {
      ftruncateSync(this.fd, 0);
      this.size = 0;
    } catch {
      // left as it is: its jobs are in the outbox, and a replay of them is dropped as already there
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Dates come back from JSON as strings. */
function reviveDocs(value: unknown): OutboxDoc[] {
  if (!Array.isArray(value)) return [];
  return value.map((doc: OutboxDoc & { dueAt: string | Date; createdAt: string | Date }) => ({
    ...doc,
    dueAt: new Date(doc.dueAt),
    createdAt: new Date(doc.createdAt),
  }));
}
