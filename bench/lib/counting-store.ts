/** A store whose writes are counted: every call of a mutating repository method, and the items it was given. */
import type { Store } from '../../src/core/ports.js';

const WRITES = new Set([
  'insert',
  'update',
  'subscribe',
  'unsubscribe',
  'disable',
  'save',
  'remove',
  'enqueue',
  'complete',
  'reschedule',
  'kill',
  'purge',
  'put',
  'delete',
  'acquire',
  'release',
  'firstSeen',
]);

export function countingStore(store: Store) {
  const counts = { calls: 0, items: 0 };
  const wrap = <T extends object>(repository: T): T =>
    new Proxy(repository, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function' || typeof name !== 'string' || !WRITES.has(name)) return value;
        return (...args: unknown[]) => {
          counts.calls++;
          counts.items += Array.isArray(args[0]) ? args[0].length : 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const counted = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      return value && typeof value === 'object' ? wrap(value) : value;
    },
  });
  return {
    store: counted,
    counts,
    reset() {
      counts.calls = 0;
      counts.items = 0;
    },
  };
}
