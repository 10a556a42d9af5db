import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageUnavailableError } from '../../../core/errors.js';

/**
 * The embedded store serves one process: two processes appending to the same datafiles would corrupt them. A lock
 * file holding the owner's pid keeps a second process out; a lock left by a process that is gone is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, 'bot.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        if ((await readPid(file)) === process.pid) await unlink(file).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = await readPid(file);
    if (pid !== undefined && pid !== process.pid && isAlive(pid)) {
      throw new StorageUnavailableError(
        `DATA_DIR ${dataDir} is in use by another bot process (pid ${pid}); the embedded store serves one process. ` +
          'Stop that process, use another DATA_DIR, or use MongoDB (MONGODB_URI) for several instances.',
      );
    }
    await unlink(file).catch(() => undefined); // stale: its process is gone (or it is ours from before a restart)
  }
  throw new StorageUnavailableError(`Could not take the lock file ${file}.`);
}

async function readPid(file: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
