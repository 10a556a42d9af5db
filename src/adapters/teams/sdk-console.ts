/**
 * botbuilder's token checks write to the console themselves (a multi-line stack for an expired token, every signing
 * key in PEM for an unknown key id), outside our logs and once per bad request. Inside a Teams turn such writes are
 * routed to our logger as one debug line; the route already logs the refusal itself, once, at info.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import type { Logger } from '../../core/ports.js';

const turn = new AsyncLocalStorage<Logger>();
let routed = false;

/** Run `work` (a Teams turn) with botbuilder's console output going to `logger`. */
export function withSdkConsole<T>(logger: Logger, work: () => Promise<T>): Promise<T> {
  if (!routed) {
    routed = true;
    for (const method of ['error', 'warn', 'log'] as const) {
      // eslint-disable-next-line no-console -- the console is what is being routed
      const original = console[method].bind(console);
      // eslint-disable-next-line no-console -- idem
      console[method] = (...args: unknown[]) => {
        const target = turn.getStore();
        if (!target) {
          original(...args);
          return;
        }
        const first = args[0] instanceof Error ? `${args[0].name}: ${args[0].message}` : format(...args);
        const line = (first.split('\n', 1)[0] ?? '').replace(/\s*-----BEGIN [\s\S]*$/, ' (keys left out)');
        target.debug({ component: 'botbuilder' }, line);
      };
    }
  }
  return turn.run(logger, work);
}
