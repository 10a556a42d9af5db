/**
 * `npm run partner-center:webhooks -- register | status | test` against the emulator built into a running bot: the
 * registration read, compared, created or changed; the test event delivered through the signed webhook path and
 * recorded by the bot; the documented few-test-events-a-minute limit said plainly. Prints the transcript.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { EMULATOR_TOKENS } from '../../../src/adapters/partner-center/tokens.js';
import { BOT_WEBHOOK_EVENTS } from '../../../src/adapters/partner-center/webhook-events.js';
import { startTestApp } from '../../support/app.js';
import { eventually } from '../../support/eventually.js';
import { closedPort } from '../../support/ports.js';
import { tempDir } from '../../support/temp.js';

const COMMAND = resolve(import.meta.dirname, '../../../src/tools/partner-center-webhooks.js');

describe('npm run partner-center:webhooks (against the emulator)', function () {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const transcript: string[] = [];
  beforeEach(async () => {
    app = await startTestApp();
    dir = await tempDir('prb-webhooks-');
  });
  afterEach(async () => {
    await app.stop();
    await dir.remove();
  });
  after(() => {
    // eslint-disable-next-line no-console -- the transcript is what this suite shows
    console.log(`      transcript:\n${transcript.map((l) => `        ${l}`).join('\n')}`);
  });

  /** The command as a person runs it (in local mode, next to the running bot, or pointed at `botUrl`). */
  const run = (...args: string[]) => runAt(app.url, ...args);
  const runAt = (botUrl: string, ...args: string[]) =>
    new Promise<{ code: number | null; out: string }>((done) => {
      const child = spawn(process.execPath, [COMMAND, ...args, '--bot-url', botUrl], {
        cwd: dir.path,
        env: { PATH: process.env['PATH'] ?? '' },
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.on('close', (code) => {
        transcript.push(`$ npm run partner-center:webhooks -- ${args.join(' ')}   (exit ${code})`);
        transcript.push(
          ...out
            .trimEnd()
            .split('\n')
            .map((l) => `  ${l}`),
        );
        done({ code, out });
      });
    });
  const registration = () => app.app.emulator?.state.registration;
  const webhookUrl = () => `${app.url}/api/partner-center/webhooks`;

  it('status → register → status → test: the test event reaches the bot through the signed path', async () => {
    // someone registered another receiver, without the assignment events
    const pc = `${app.url}/emulator/partner-center/webhooks/v1/registration`;
    const put = await fetch(pc, {
      method: 'PUT',
      headers: { authorization: `Bearer ${EMULATOR_TOKENS.app}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        WebhookUrl: 'https://old.example.com/hook',
        WebhookEvents: ['test-created', 'invoice-ready'],
      }),
    });
    assert.equal(put.status, 200);

    const before = await run('status');
    assert.equal(before.code, 1, 'a registration that does not match is a failure for scripts');
    assert.match(before.out, /Does not match this bot: it sends to https:\/\/old\.example\.com\/hook/);
    assert.match(before.out, /it lacks reseller-relationship-accepted-by-customer/);

    const registered = await run('register');
    assert.equal(registered.code, 0, registered.out);
    assert.match(registered.out, /Registration changed/);
    assert.equal(registration()?.webhookUrl, webhookUrl());
    for (const event of BOT_WEBHOOK_EVENTS) assert.ok(registration()?.events.includes(event), event);
    assert.ok(registration()?.events.includes('invoice-ready'), 'events registered for other tools are kept');

    const after = await run('status');
    assert.equal(after.code, 0);
    assert.match(after.out, /Matches this bot/);
    assert.match((await run('register')).out, /Already registered/, 'registering again changes nothing');

    const tested = await run('test');
    assert.equal(tested.code, 0, tested.out);
    assert.match(tested.out, /Delivered: .* answered OK/);
    await eventually(
      () => app.logs.entries().find((e) => e.msg === 'Partner Center test event received: webhooks reach the bot'),
      'the bot recorded the test event',
    );
    const delivered = app.app.emulator?.state.webhookLog.filter((w) => w.eventName === 'test-created');
    assert.deepEqual(
      delivered?.map((w) => w.status),
      [200],
      'signed and accepted (an unsigned one gets 401)',
    );
  });

  it('test: Partner Center’s limit on test events is said plainly; without test-created it says to register', async () => {
    assert.equal((await run('test')).code, 0);
    assert.equal((await run('test')).code, 0);
    const third = await run('test');
    assert.equal(third.code, 1);
    assert.match(third.out, /it sends only a few test events a minute\. Try again in \d+ s/);

    const state = app.app.emulator?.state;
    assert.ok(state?.registration);
    state.registration.events = state.registration.events.filter((e) => e !== 'test-created');
    state.testEventTimes.length = 0;
    const unregistered = await run('test');
    assert.equal(unregistered.code, 1);
    assert.match(unregistered.out, /Register test-created .* register` first/s);
  });

  it('refuses an unknown action or option with the usage line; --help shows it', async () => {
    const wrong = await run('deregister');
    assert.equal(wrong.code, 1);
    assert.match(wrong.out, /Usage: npm run partner-center:webhooks -- register \| status \| test/);
    const option = await run('status', '--verbose');
    assert.equal(option.code, 1);
    assert.match(option.out, /Unknown option '--verbose'[\s\S]*Usage:/);
    const help = await run('--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /^Usage:/);
  });

  it('pointed where no bot runs: says so, and how to point it at the bot', async () => {
    const port = await closedPort();
    const nowhere = await runAt(`http://127.0.0.1:${port}`, 'status');
    assert.equal(nowhere.code, 1);
    assert.match(nowhere.out, /could not be reached.*Is the bot running there\? .*--bot-url or PORT/s);
  });
});
