/**
 * The embedded store serves one process: two processes appending to the same datafiles — or one rewriting them from
 * its memory on shutdown — lose each other's records. `bot.lock` in DATA_DIR says who holds it: an owner id, the host,
 * the machine's boot id, the PID namespace and the pid, and its modification time is a heartbeat renewed every 10 s.
 *
 * A lock is taken over only when its holder is certainly gone: on the same host, boot and PID namespace, when that pid
 * is not running; anywhere else (another container on a shared volume, where pids mean nothing — both may be pid 1 —
 * or another host), when its heartbeat is older than 30 s. Taking over moves the old file aside with a rename, which
 * only one of two racing processes can do. A holder that finds its lock taken (it stalled past the heartbeat) stops
 * writing: `lost` says so, and the store refuses writes from then on.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { open, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StorageUnavailableError } from '../../../core/errors.js';

export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 30_000;

export interface LockOwner {
  readonly owner: string;
  readonly host: string;
  readonly boot: string;
  readonly pidNamespace: string;
  readonly pid: number;
  readonly startedAt: string;
}

export interface DataDirLock {
  /** why the lock is no longer ours (another process took it over), or undefined while it is */
  readonly lost: string | undefined;
  /** look now (not at the next heartbeat) whether the lock is still ours */
  held(): Promise<boolean>;
  release(): Promise<void>;
}

export interface LockOptions {
  readonly staleAfterMs?: number;
  readonly heartbeatMs?: number;
  readonly now?: () => number;
  /** told once, when the lock turns out to be another process's now */
  readonly onLost?: (why: string) => void;
}

/** Who this process is, as a lock file says it. */
export function thisProcess(): Omit<LockOwner, 'owner' | 'startedAt'> {
  return { host: hostname(), boot: bootId(), pidNamespace: pidNamespace(), pid: process.pid };
}

export async function lockDataDir(dataDir: string, options: LockOptions = {}): Promise<DataDirLock> {
  const file = join(dataDir, 'bot.lock');
  const staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
  const now = options.now ?? Date.now;
  const me: LockOwner = { ...thisProcess(), owner: randomUUID(), startedAt: new Date(now()).toISOString() };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await create(file, me)) return holding(file, me, options.heartbeatMs ?? HEARTBEAT_MS, options.onLost);
    const holder = await readHolder(file);
    if (!holder) continue; // removed meanwhile: try again
    const gone = holderIsGone(holder.owner, holder.modified, staleAfterMs, now());
    if (gone !== true) throw new StorageUnavailableError(inUse(dataDir, holder.owner, gone));
    // stale: move it aside (only one racing process can rename this file), then try to create ours
    await rename(file, `${file}.stale-${me.owner}`).then(
      () => unlink(`${file}.stale-${me.owner}`).catch(() => undefined),
      () => undefined,
    );
  }
  throw new StorageUnavailableError(`Could not take the lock file ${file}; another process keeps taking it.`);
}

async function create(file: string, me: LockOwner): Promise<boolean> {
  try {
    const handle = await open(file, 'wx');
    try {
      await handle.writeFile(JSON.stringify(me));
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StorageUnavailableError(`Cannot write the lock file ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** The holder as its file says (an older bot wrote only its pid), and when its heartbeat last touched the file. */
async function readHolder(file: string): Promise<{ owner: Partial<LockOwner>; modified: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return { owner: parseOwner(text), modified: info.mtimeMs };
  } catch {
    return undefined;
  }
}

function parseOwner(text: string): Partial<LockOwner> {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { ...thisProcess(), pid: Number(trimmed) }; // written by an older version
  try {
    const value = JSON.parse(trimmed) as Partial<LockOwner> | null;
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {}; // half written: judged by its age alone
  }
}

/** true when the holder is certainly gone; otherwise the age of its heartbeat in ms (for the message). */
function holderIsGone(holder: Partial<LockOwner>, modified: number, staleAfterMs: number, now: number): true | number {
  const mine = thisProcess();
  const sameSpace = holder.host === mine.host && holder.boot === mine.boot && holder.pidNamespace === mine.pidNamespace;
  if (sameSpace && typeof holder.pid === 'number') {
    return holder.pid !== mine.pid && !isAlive(holder.pid) ? true : Math.max(0, now - modified);
  }
  const age = Math.max(0, now - modified);
  return age > staleAfterMs ? true : age;
}

function inUse(dataDir: string, holder: Partial<LockOwner>, heartbeatAgeMs: number): string {
  const mine = thisProcess();
  const local = holder.host === mine.host && holder.boot === mine.boot && holder.pidNamespace === mine.pidNamespace;
  const elsewhere =
    holder.host === mine.host ? 'in another container or PID namespace' : `on ${holder.host ?? 'another host'}`;
  const who = local
    ? `(pid ${holder.pid ?? '?'})`
    : `(pid ${holder.pid ?? '?'} ${elsewhere}, heartbeat ${Math.round(heartbeatAgeMs / 1000)} s ago)`;
  const wait = local
    ? ''
    : ` If that process is gone, start again once its heartbeat is over ${STALE_AFTER_MS / 1000} s old.`;
  return (
    `DATA_DIR ${dataDir} is in use by another bot process ${who}; the embedded store serves one process. Stop that ` +
    `process, use another DATA_DIR, or use MongoDB (MONGODB_URI) for several instances.${wait}`
  );
}

/** Keep the heartbeat going, notice a takeover, and give the lock back. */
function holding(
  file: string,
  me: LockOwner,
  heartbeatMs: number,
  onLost: ((why: string) => void) | undefined,
): DataDirLock {
  let lost: string | undefined;
  const beat = async () => {
    if (lost) return;
    const holder = await readHolder(file);
    if (holder?.owner.owner !== me.owner) {
      lost = `the lock on ${file} was taken over by another process; this one no longer writes there`;
      clearInterval(timer);
      onLost?.(lost);
      return;
    }
    const at = new Date();
    await utimes(file, at, at).catch(() => undefined);
  };
  const timer = setInterval(() => {
    void beat();
  }, heartbeatMs);
  timer.unref();
  return {
    get lost() {
      return lost;
    },
    async held() {
      await beat();
      return lost === undefined;
    },
    async release() {
      clearInterval(timer);
      const holder = await readHolder(file);
      if (holder?.owner.owner === me.owner) await unlink(file).catch(() => undefined);
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let cachedBoot: string | undefined;
function bootId(): string {
  try {
    cachedBoot ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    cachedBoot = '';
  }
  return cachedBoot;
}

let cachedNamespace: string | undefined;
function pidNamespace(): string {
  try {
    cachedNamespace ??= readlinkSync('/proc/self/ns/pid');
  } catch {
    cachedNamespace = '';
  }
  return cachedNamespace;
}
