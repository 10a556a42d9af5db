/**
 * Servers under test run in their own process, so the load generator and the fakes do not share their event loop
 * (these machines have two cores). The child prints one JSON line `{ "url": … }` when it listens and stops on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface Child {
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export async function startChild(script: string, args: readonly string[], env: Record<string, string> = {}) {
  const path = fileURLToPath(new URL(`../targets/${script}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => {
      reject(new Error(`${script} exited with ${String(code)} before listening`));
    });
  });
  const { url } = JSON.parse(first) as { url: string };
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
    /** Stop at once, dropping whatever work it still had (a benchmark's leftover load). */
    async kill() {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  } satisfies Child;
}

/** In a child: tell the parent where it listens (the one line `startChild` waits for). */
export function announce(url: string): void {
  process.stdout.write(`${JSON.stringify({ url })}\n`);
}
