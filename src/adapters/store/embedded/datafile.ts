/**
 * Checking a datafile before nedb reads it. nedb skips lines it cannot read and, below a threshold, says nothing —
 * then its next compaction writes the file without them. Here every line is read first:
 * - a torn last line (a crash during a write, so never acknowledged) is left out quietly;
 * - zero bytes (a crash or a disk fault) are taken out, and lines that then read are kept;
 * - any other unreadable line is left out, and the whole file as it was is kept beside it
 *   (`<name>.db.unreadable-<time>`) before the datafile is rewritten without those lines — nothing is lost, and the
 *   caller logs an error with the count, the line numbers and where the copy is.
 */
import { copyFile, readFile, rename, writeFile } from 'node:fs/promises';

export interface DatafileRepair {
  readonly file: string;
  /** 1-based line numbers left out because they could not be read */
  readonly unreadable: readonly number[];
  readonly zeroBytes: number;
  /** a half-written last line was left out */
  readonly tornTail: boolean;
  /** where the file as it was is kept (when anything but a torn tail was changed) */
  readonly keptAt?: string | undefined;
}

/** Check `file` and rewrite it without what cannot be read; undefined when it is fine (or absent). */
export async function repairDatafile(file: string, now: Date): Promise<DatafileRepair | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const complete = text.endsWith('\n');
  const lines = text.split('\n');
  if (complete || lines.at(-1) === '') lines.pop();
  const kept: string[] = [];
  const unreadable: number[] = [];
  let zeroBytes = 0;
  let tornTail = false;
  for (const [i, line] of lines.entries()) {
    let candidate = line;
    if (line.includes('\0')) {
      zeroBytes += line.length - line.replace(/\0/g, '').length;
      candidate = line.replace(/\0+/g, '');
    }
    if (candidate.trim() === '') continue;
    if (readable(candidate)) kept.push(candidate);
    else if (i === lines.length - 1 && !complete) tornTail = true;
    else unreadable.push(i + 1);
  }
  if (unreadable.length === 0 && zeroBytes === 0 && !tornTail) return undefined;
  let keptAt: string | undefined;
  if (unreadable.length > 0 || zeroBytes > 0) {
    keptAt = `${file}.unreadable-${now.toISOString().replace(/[:.]/g, '-')}`;
    await copyFile(file, keptAt);
  }
  const temporary = `${file}.repair`;
  await writeFile(temporary, kept.length > 0 ? `${kept.join('\n')}\n` : '');
  await rename(temporary, file);
  return { file, unreadable, zeroBytes, tornTail, keptAt };
}

/** A line nedb can read: one JSON object. */
function readable(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** One line for the log: what was left out and where the original is. */
export function describeRepair(repair: DatafileRepair): string {
  const parts: string[] = [];
  if (repair.unreadable.length > 0) {
    const shown = repair.unreadable.slice(0, 20).join(', ');
    const more = repair.unreadable.length > 20 ? ` and ${repair.unreadable.length - 20} more` : '';
    parts.push(`${repair.unreadable.length} unreadable line(s) left out (line ${shown}${more})`);
  }
  if (repair.zeroBytes > 0) parts.push(`${repair.zeroBytes} zero byte(s) taken out`);
  if (repair.tornTail) parts.push('a half-written last line left out (a crash during a write)');
  const kept = repair.keptAt
    ? `; the file as it was is kept at ${repair.keptAt} — the records on the lines left out are missing until you ` +
      'restore them from there or from a backup'
    : '';
  return `${repair.file}: ${parts.join('; ')}${kept}.`;
}
