/**
 * Hardening: 5,000 generated command texts (unicode, control characters, 10 KB strings, Slack mentions and links,
 * Adaptive Card template expressions, Markdown, Teams mentions) through both adapters over real HTTP. No answer may be
 * a 5xx, no promise may be left rejected (the root hooks fail the test), and no outgoing payload may carry the user's
 * text as markup: Slack mrkdwn only with `verbatim` and only our own links, Teams TextBlocks (which render Markdown)
 * only with the bot's own words.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { cardOf, teamsHarness, type Json } from '../support/teams.js';
import { BUSY } from '../../src/adapters/slack/on-command.js';
import { eventually, formBody, slackFixture, slackHarness } from '../support/slack.js';

const PER_ADAPTER = 2_500;

/** What a user could type that must never become markup. */
const INJECTIONS = [
  '<!channel>',
  '<!here>',
  '@here',
  '<!everyone>',
  '<@U0EVIL>',
  '<#C0EVIL>',
  '<https://evil.example|click>',
  '<mailto:evil@evil.example|mail>',
  '${Exit()}',
  "${if(true, 'a', 'b')}",
  '${customerName}',
  '[click](https://evil.example)',
  '**bold** _it_ ~strike~ `code`',
  '<at>Someone</at>',
  '&lt;!here&gt;',
  '\u0000\u0007\u001b[31m',
  '\u202eevil\u202c',
  '\r\n\t',
  '😀👩‍👩‍👧',
];
/** Markers of user text that must never appear where it would be rendered as markup (see the checks). */
const MARKERS = ['evil.example', '${', '<!', '<@U0EVIL', '<#C0EVIL', '<at>', '](', '\u0000'];

function texts(seed: number): string[] {
  const fuzz = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'binary-ascii', maxLength: 40 }),
    fc.constantFrom(...INJECTIONS),
    fc.constant('A'.repeat(10_240)),
    fc.array(fc.constantFrom(...INJECTIONS), { minLength: 2, maxLength: 4 }).map((parts) => parts.join(' ')),
  );
  const command = fc.oneof(
    fuzz.map((x) => `request relationship ${x} admin@contoso.com`),
    fc.tuple(fuzz, fuzz).map(([a, b]) => `request relationship Contoso ${a} ${b}`),
    fuzz.map((x) => `request relationship ${x}`),
    fuzz.map((x) => `request ${x} it@fabrikam.com domain fabrikam.com`),
    fuzz.map((x) => `status ${x}`),
    fuzz.map((x) => `cancel ${x}`),
    fuzz.map((x) => `list ${x}`),
    fuzz.map((x) => `subscribe ${x}`),
    fuzz,
  );
  return fc.sample(command, { numRuns: PER_ADAPTER, seed });
}

/** Run `work` over `items`, `parallel` at a time. */
async function pool<T>(items: readonly T[], parallel: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index] as T, index);
      }
    }),
  );
}

function nodes(value: unknown, type: string): Json[] {
  if (Array.isArray(value)) return value.flatMap((v) => nodes(v, type));
  if (value && typeof value === 'object') {
    const object = value as Json;
    return [...(object['type'] === type ? [object] : []), ...Object.values(object).flatMap((v) => nodes(v, type))];
  }
  return [];
}

describe('hardening: 5,000 generated command texts', function () {
  this.timeout(180_000);

  it(`Teams: ${PER_ADAPTER} messages — no 5xx, user text never in a Markdown TextBlock`, async () => {
    const h = await teamsHarness();
    try {
      const statuses = new Map<number, number>();
      await pool(texts(7), 6, async (text, i) => {
        const res = await h.send(h.activity('personal-message', {}, { id: `fuzz-${i}`, text }));
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      });
      assert.deepEqual([...statuses.keys()], [200], `statuses: ${JSON.stringify([...statuses])}`);
      const replies = h.connector.posts();
      assert.equal(replies.length, PER_ADAPTER, 'one reply per message');
      let textBlocks = 0;
      // the cards posted, and the same cards updated in place once admin access was asked for
      for (const reply of [...replies, ...h.connector.updates()]) {
        for (const block of nodes(cardOf(reply.body), 'TextBlock')) {
          textBlocks++;
          const text = String(block['text']);
          for (const marker of MARKERS) assert.ok(!text.includes(marker), `TextBlock carries ${marker}: ${text}`);
        }
      }
      const requests = await h.core.store.requests.count({});
      // eslint-disable-next-line no-console -- the hardening counts belong in the test output
      console.log(
        `      Teams: ${replies.length} replies, ${h.connector.updates().length} card updates, ${textBlocks} TextBlocks checked, ${requests} requests made`,
      );
    } finally {
      await h.stop();
    }
  });

  it(`Slack: ${PER_ADAPTER} slash commands — no 5xx, mrkdwn verbatim with only our own links`, async function () {
    // the commands acknowledged in the flood are then worked off 8 at a time: on a loaded machine that takes minutes
    this.timeout(300_000);
    const h = await slackHarness();
    try {
      const statuses = new Map<number, number>();
      let busy = 0;
      await pool(texts(11), 4, async (text, i) => {
        const body = formBody(
          slackFixture('slash-command', {
            text,
            responseUrl: h.slack.responseUrl(`fuzz-${i}`),
            triggerId: `1700000000.${i}.fuzz`,
          }),
        );
        const res = await h.send(body);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.text.includes(BUSY)) busy++;
      });
      assert.deepEqual([...statuses.keys()], [200], `statuses: ${JSON.stringify([...statuses])}`);
      // every command is answered: in its acknowledgement ("busy", under this flood), or after it by a post, a
      // response_url message or a modal
      const answers = () =>
        h.slack.calls.filter((c) =>
          ['chat.postMessage', 'response_url', 'views.open', 'chat.postEphemeral'].includes(c.method),
        );
      await eventually(() => (answers().length + busy >= PER_ADAPTER ? true : undefined), 'every answer', 240_000);
      let checked = 0;
      for (const call of h.slack.calls.filter((c) => c.method !== 'auth.test')) {
        for (const textObject of nodes(call.body, 'mrkdwn')) {
          checked++;
          assert.equal(textObject['verbatim'], true, `verbatim mrkdwn in ${call.method}`);
          for (const link of String(textObject['text']).match(/<[^>]*>/g) ?? []) {
            assert.match(
              link,
              /^<(https:\/\/(?!evil)|mailto:)[^ <>|]*(\|[^<>]*)?>$/,
              `a link in ${call.method}: ${link}`,
            );
          }
        }
        const fallback = call.body['text'];
        if (typeof fallback === 'string') assert.doesNotMatch(fallback, /<[!@#]|<https?:|<mailto:/, call.method);
      }
      // eslint-disable-next-line no-console -- the hardening counts belong in the test output
      console.log(`      Slack: ${answers().length} answers, ${busy} "busy", ${checked} mrkdwn objects checked`);
    } finally {
      await h.stop();
    }
  });
});
