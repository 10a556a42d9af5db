/**
 * Keep fetching pages while the consumer works: up to `depth` pages are asked for ahead of the one being handled. The
 * source is still asked one page at a time (an async generator runs queued calls in turn), so the remote service
 * sees the same sequential calls; only the pauses between them go.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  const pending: Promise<IteratorResult<T>>[] = [];
  const pull = () => {
    const next = iterator.next();
    next.catch(() => undefined); // reported when its turn comes, not as unhandled
    pending.push(next);
  };
  try {
    for (let i = 0; i < depth; i++) pull();
    for (let next = pending.shift(); next; next = pending.shift()) {
      const result = await next;
      if (result.done) return;
      pull();
      yield result.value;
    }
  } finally {
    await iterator.return?.();
  }
}
