/**
 * Root hooks for every test file: an unhandled promise rejection anywhere fails the test that was running when it
 * surfaced (nothing may crash the process, and nothing may be silently dropped).
 */
import { strict as assert } from 'node:assert';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => {
  unhandled.push(reason);
};

export const mochaHooks = {
  beforeAll() {
    process.on('unhandledRejection', onUnhandled);
  },
  afterEach() {
    const seen = unhandled.splice(0);
    assert.deepEqual(seen.map(String), [], 'unhandled promise rejection(s) during this test');
  },
  afterAll() {
    process.off('unhandledRejection', onUnhandled);
  },
};
