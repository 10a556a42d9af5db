import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describeStartupError } from '../src/startup-errors.js';
import { startApp } from '../src/app.js';
import { openEmbeddedStore } from '../src/adapters/store/embedded/embedded-store.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { captureLogger } from './support/logs.js';
import { tempDir } from './support/temp.js';

describe('start-up (composition root)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir('prb-startup-');
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('refuses a draft template that would overflow 3,000 characters for the longest allowed request', async () => {
    // Fits with a short customer name; does not with 100 characters of name, twice.
    const template = `Subject: Hi {{customerName}}\n\n${'x'.repeat(2500)} {{resellerLink}} {{customerName}} {{customerName}} {{contactEmail}}`;
    await writeFile(join(dir.path, 'draft.txt'), template);
    const config = loadConfig({ PORT: '0', DATA_DIR: dir.path, DRAFT_TEMPLATE: join(dir.path, 'draft.txt') });
    await assert.rejects(startApp(config, captureLogger().logger), (err) => {
      assert.ok(err instanceof ConfigError);
      assert.match(
        err.problems[0] ?? '',
        /^DRAFT_TEMPLATE: filled with the longest allowed customer name, email and domain, the draft template produces \d+ characters; drafts may have at most 3000/,
      );
      return true;
    });
  });

  it('says which variable to change when the port is taken, and releases the store', async () => {
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', ok));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const config = loadConfig({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir.path });
      const err = await startApp(config, captureLogger().logger).then(
        () => assert.fail('started on a taken port'),
        (failure: unknown) => failure,
      );
      assert.match(String(err), new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
      assert.equal(
        describeStartupError(err, config),
        `PORT: 127.0.0.1:${port} is already in use — stop the other process or set another PORT.`,
      );
      const store = await openEmbeddedStore(dir.path); // the failed start did not leave DATA_DIR locked
      await store.close();
    } finally {
      blocker.close();
    }
  });
});
