/** The Slack backlog: bounded concurrency, arrival order, a limit, and errors logged instead of lost. */
import { strict as assert } from 'node:assert';
import { Backlog } from '../../../src/adapters/slack/backlog.js';
import { BUSY, onCommand } from '../../../src/adapters/slack/on-command.js';
import type { SlackDeps } from '../../../src/adapters/slack/types.js';
import { captureLogger } from '../../support/logs.js';

function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('Slack backlog', () => {
  it('runs at most `concurrency` tasks at once, the rest in arrival order', async () => {
    const backlog = new Backlog(captureLogger().logger, 2, 10);
    const started: number[] = [];
    const gates = [gate(), gate(), gate(), gate()];
    gates.forEach((g, i) => {
      assert.equal(
        backlog.offer(async () => {
          started.push(i);
          await g.opened;
        }),
        true,
      );
    });
    await Promise.resolve();
    assert.deepEqual(started, [0, 1], 'two run, two wait');
    assert.equal(backlog.size, 4);
    gates[1]?.open();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(started, [0, 1, 2]);
    for (const g of gates) g.open();
    await backlog.idle();
    assert.deepEqual(started, [0, 1, 2, 3]);
    assert.equal(backlog.size, 0);
  });

  it('refuses work beyond its limit, and says it is full before anyone acks', async () => {
    const backlog = new Backlog(captureLogger().logger, 1, 2);
    const hold = gate();
    const task = () => hold.opened;
    assert.equal(backlog.offer(task), true);
    assert.equal(backlog.full, false);
    assert.equal(backlog.offer(task), true);
    assert.equal(backlog.offer(task), true);
    assert.equal(backlog.full, true);
    assert.equal(backlog.offer(task), false, 'nothing queued beyond the limit');
    assert.equal(backlog.size, 3);
    hold.open();
    await backlog.idle();
    assert.equal(backlog.full, false);
  });

  it('logs a failing task as a bug and goes on with the next', async () => {
    const logs = captureLogger();
    const backlog = new Backlog(logs.logger, 1, 5);
    let ran = false;
    backlog.offer(() => Promise.reject(new Error('boom')));
    backlog.offer(() => {
      ran = true;
      return Promise.resolve();
    });
    await backlog.idle();
    assert.equal(ran, true);
    assert.deepEqual(logs.entries().filter((e) => e.msg === 'Slack work after the acknowledgement failed').length, 1);
  });

  it('logs a flood of refusals once per 10 s with the count, not once per command', () => {
    const logs = captureLogger();
    const backlog = new Backlog(logs.logger, 1, 0);
    for (let i = 0; i < 5_000; i++) backlog.noteRefused(1_000_000 + i);
    backlog.noteRefused(1_010_000);
    const lines = logs.entries().filter((l) => l.msg.includes('busy'));
    assert.deepEqual(
      lines.map((l) => l['refused']),
      [1, 5_000],
      'the first at once, then one line 10 s later for the 4,999 in between and the new one',
    );
  });

  it('is idle at once when empty', async () => {
    await new Backlog(captureLogger().logger).idle();
  });
});

describe('Slack command when the backlog fills during its acknowledgement', () => {
  it('tells the user it is busy instead of dropping the command', async () => {
    const logs = captureLogger();
    const backlog = new Backlog(logs.logger, 1, 1);
    const hold = gate();
    const responses: unknown[] = [];
    const deps = { core: { settings: { access: {} } }, logger: logs.logger, backlog } as unknown as SlackDeps;
    await onCommand(deps, {
      command: { text: 'list', team_id: 'T1', user_id: 'U1', user_name: 'u', channel_id: 'C1', channel_name: 'c' },
      // other commands take the last places while this acknowledgement is on its way
      ack: () => {
        backlog.offer(() => hold.opened);
        backlog.offer(() => hold.opened);
        return Promise.resolve();
      },
      respond: (message: unknown) => {
        responses.push(message);
        return Promise.resolve();
      },
      client: {},
    } as unknown as Parameters<typeof onCommand>[1]);
    assert.deepEqual(responses, [{ response_type: 'ephemeral', text: BUSY }]);
    assert.equal(backlog.size, 2, 'nothing queued for this command');
    hold.open();
    await backlog.idle();
  });

  it('answers busy at once when full, even for a command that would open the form (no modal, nothing queued)', async () => {
    const logs = captureLogger();
    const backlog = new Backlog(logs.logger, 1, 0);
    const hold = gate();
    backlog.offer(() => hold.opened);
    const acks: unknown[] = [];
    const opened: unknown[] = [];
    const deps = { core: { settings: { access: {} } }, logger: logs.logger, backlog } as unknown as SlackDeps;
    for (const text of ['request relationship', 'list']) {
      await onCommand(deps, {
        command: { text, team_id: 'T1', user_id: 'U1', user_name: 'u', channel_id: 'C1', channel_name: 'c' },
        ack: (message: unknown) => {
          acks.push(message);
          return Promise.resolve();
        },
        respond: () => Promise.reject(new Error('nothing should be posted later')),
        client: {
          views: {
            open: (view: unknown) => {
              opened.push(view);
              return Promise.resolve({});
            },
          },
        },
      } as unknown as Parameters<typeof onCommand>[1]);
    }
    assert.equal(acks.length, 2);
    for (const ack of acks) {
      assert.equal((ack as { response_type?: string }).response_type, 'ephemeral');
      assert.equal((ack as { text?: string }).text, BUSY);
    }
    assert.deepEqual(opened, []);
    assert.equal(backlog.size, 1, 'only the task that was already running');
    hold.open();
    await backlog.idle();
  });
});
