/**
 * Wait until `check` returns a value: the way tests wait for state or a recorded call after an acknowledgement. It
 * returns as soon as the state is there; the timeout only bounds a test that is broken, so it is generous (a busy
 * machine is slow, not wrong).
 */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
