/** A client for server-sent events over fetch: collects events and waits for the next one of a kind. */
export interface ServerEvent {
  readonly event: string;
  readonly data: unknown;
}

export async function openEvents(url: string) {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  if (!res.body) throw new Error('no event stream');
  const events: ServerEvent[] = [];
  let seen = 0;
  let ended = false;
  let wake: (() => void) | undefined;
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event && data) events.push({ event, data: JSON.parse(data) as unknown });
          wake?.();
        }
      }
    } catch {
      // aborted by close()
    } finally {
      ended = true;
      wake?.();
    }
  })();
  return {
    status: res.status,
    headers: res.headers,
    events,
    /** whether the server ended the stream */
    get ended() {
      return ended;
    },
    /** the next event not yet taken (waits up to 30 s: only a broken test waits that long) */
    async next(): Promise<ServerEvent> {
      const deadline = Date.now() + 30_000;
      while (events.length <= seen) {
        if (ended) throw new Error('the event stream ended');
        if (Date.now() > deadline) throw new Error('no event within 30 s');
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
      return events[seen++] as ServerEvent;
    },
    async waitForEnd(): Promise<void> {
      await reading;
    },
    async close(): Promise<void> {
      controller.abort();
      await reading;
    },
  };
}
