/**
 * The bot as a real child process (the compiled `src/main.js` beside the compiled tests, or the sources through tsx),
 * its JSON log lines and stderr kept, for tests of what an operator sees and of crashes (SIGKILL).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ENV_KEYS } from '../../src/config.js';
import { PACKAGE_ROOT } from '../../src/paths.js';

const COMPILED = import.meta.url.endsWith('.js');
const ENTRY = COMPILED
  ? [resolve(import.meta.dirname, '../../src/main.js')]
  : ['--import', import.meta.resolve('tsx'), join(PACKAGE_ROOT, 'src', 'main.ts')];

export interface Running {
  child: ChildProcessWithoutNullStreams;
  lines: Record<string, unknown>[];
  stderr: string[];
  /** the exit code, once stdout and stderr are read to the end */
  exit: Promise<number | null>;
  /** resolves with the URL from the start-up line, or rejects when the process exits first */
  ready: Promise<string>;
  /** Signal the bot itself (not a wrapper such as `unshare`, which would leave it running). */
  kill(signal: NodeJS.Signals): void;
}

/** Our environment minus the bot's own keys: the child sees only the configuration a test gives it. */
export function baseEnv(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !ENV_KEYS.includes(k)));
}

export interface StartOptions {
  /** run under `ulimit -f`: no file may grow past this many KiB (writes fail with EFBIG, as on a full disk) */
  readonly fileSizeLimitKiB?: number;
  /** run as pid 1 of its own PID namespace (and user namespace), as in a container: `unshare` */
  readonly ownPidNamespace?: boolean;
}

export function startBot(cwd: string, env: Record<string, string>, options: StartOptions = {}): Running {
  const spawnEnv = { ...baseEnv(), ...env };
  const command = [process.execPath, ...ENTRY];
  if (options.ownPidNamespace) command.unshift('unshare', '--user', '--map-root-user', '--pid', '--fork');
  if (options.fileSizeLimitKiB !== undefined) {
    command.unshift('bash', '-c', `ulimit -f ${options.fileSizeLimitKiB} && exec "$@"`, 'bash');
  }
  const [file = process.execPath, ...args] = command;
  const running = watchBot(spawn(file, args, { cwd, env: spawnEnv }));
  if (!options.ownPidNamespace) return running;
  // unshare --fork waits for the bot as its child; the bot is that child
  return {
    ...running,
    kill(signal) {
      const wrapper = running.child.pid;
      const children = wrapper ? readChildren(wrapper) : [];
      for (const pid of children) process.kill(pid, signal);
      if (signal === 'SIGKILL' || children.length === 0) running.child.kill(signal);
    },
  };
}

function readChildren(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Whether this machine lets an unprivileged process start its own PID namespace (`unshare`). */
export function canUnshare(): boolean {
  return spawnSync('unshare', ['--user', '--map-root-user', '--pid', '--fork', 'true']).status === 0;
}

export function watchBot(child: ChildProcessWithoutNullStreams): Running {
  const lines: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  // 'close', not 'exit': by then everything the process wrote to stdout and stderr has been read
  const exit = new Promise<number | null>((done) => {
    child.on('close', (code) => {
      done(code);
    });
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr.push(line);
  });
  const ready = new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        const msg = String(entry['msg']);
        if (msg.startsWith('Partner Relationship Bot listening on ')) ok(String(entry['url']));
      } catch {
        lines.push({ msg: line });
      }
    });
    void exit.then((code) => {
      fail(new Error(`exited with ${code} before listening:\n${stderr.join('\n')}`));
    });
  });
  // Tests of failed start-ups wait for `exit`, not `ready`; its rejection is expected there.
  ready.catch(() => undefined);
  return {
    child,
    lines,
    stderr,
    exit,
    ready,
    kill(signal) {
      child.kill(signal);
    },
  };
}

/** The resident set size of a running process, in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}
