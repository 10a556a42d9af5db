/**
 * Every Teams card the bot renders: parsed by the official `adaptivecards` library without warnings or validation
 * errors, no leftover `${`, under 28 KB even in the worst case, user text inert, and equal to the golden files in
 * test/golden/teams/ (UPDATE_GOLDEN=1 rewrites them after an intended change).
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  CARD_SIZE_LIMIT_BYTES,
  cardSizeBytes,
  notificationCard,
  replyCard,
  requestCard,
  statusCard,
  textCard,
  type AdaptiveCard,
} from '../../../src/adapters/teams/cards.js';
import { handleCommand } from '../../../src/core/dispatch.js';
import type { RelationshipRequest, TimelineEntry } from '../../../src/core/model.js';
import { NOTIFICATION_EVENTS, requestNotification } from '../../../src/core/notifications/model.js';
import { card as cardReply, type Reply } from '../../../src/core/replies.js';
import {
  listItemModel,
  requestCardModel,
  timelineModel,
  earlierTimelineText,
} from '../../../src/core/views/request-view.js';
import { PACKAGE_ROOT } from '../../../src/paths.js';
import { request as storedRequest, revokedAfterGrant } from '../../contract/store-contract.js';
import { coreHarness, input, type Harness } from '../../support/core-harness.js';
import { stringsOf } from '../../support/teams.js';

interface ParseEvent {
  message: string;
}
interface AdaptiveCardsLib {
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: ParseEvent[] };
  };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): ParseEvent };
}
// The library's browser bundle also loads in Node; its ESM entry expects a DOM.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsLib;

/** What the official library says about a card: parse warnings and validation errors (empty = clean). */
function officialProblems(card: AdaptiveCard): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  return [...events, ...parsed.validateProperties().validationEvents.map((e) => e.message)];
}

function checkCard(name: string, card: AdaptiveCard): void {
  assert.deepEqual(officialProblems(card), [], `${name}: the official parser complains`);
  const json = JSON.stringify(card);
  assert.ok(
    !json.includes('${'),
    `${name}: leftover template expression in ${json.slice(json.indexOf('${') - 80, json.indexOf('${') + 40)}`,
  );
  assert.ok(cardSizeBytes(card) < CARD_SIZE_LIMIT_BYTES, `${name}: ${cardSizeBytes(card)} bytes`);
  assert.ok(
    ['1.5', '1.4', '1.3', '1.2'].includes(String(card['version'])),
    `${name}: schema ${String(card['version'])}`,
  );
}

const GOLDEN_DIR = join(PACKAGE_ROOT, 'test', 'golden', 'teams');

function matchGolden(name: string, card: AdaptiveCard): void {
  const file = join(GOLDEN_DIR, `${name}.json`);
  const actual = `${JSON.stringify(card, null, 2)}\n`;
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(file)) {
    if (process.env['CI'] && !existsSync(file))
      assert.fail(`golden file ${name}.json is missing (run with UPDATE_GOLDEN=1)`);
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, actual);
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from test/golden/teams/${name}.json`);
}

const AT = '2026-11-23T10:00:00.000Z';
const ANA = { kind: 'user' as const, platform: 'teams' as const, id: '29:1ana', name: 'Ana Lopez' };
const LINK =
  'https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=p#/BillingAccounts/partner-invitation';
const GDAP = 'https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/0a1b2c3d';

function aRequest(overrides: Partial<RelationshipRequest> = {}): RelationshipRequest {
  return storedRequest('RR-7K2Q9', {
    resellerLink: LINK,
    draft: {
      subject: 'Invitation to work with Northwind Partners',
      body: `Hello,\n\nPlease accept our invitation:\n${LINK}\n\nBest regards,\nAna`,
    },
    ...overrides,
  });
}

describe('Teams cards', function () {
  let h: Harness;
  beforeEach(async () => {
    h = await coreHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  async function reply(text: string): Promise<Reply> {
    return handleCommand(h.deps, input(text));
  }

  describe('golden files, official parser, no leftovers', () => {
    const entries: [string, () => Promise<AdaptiveCard> | AdaptiveCard][] = [
      ['request-draft', () => requestCard(requestCardModel(aRequest()))],
      [
        'request-sent-gdap',
        () => requestCard(requestCardModel(aRequest({ status: 'sent', adminAccess: 'pending', gdapLink: GDAP }))),
      ],
      [
        'request-accepted',
        () => requestCard(requestCardModel(aRequest({ status: 'accepted', adminAccess: 'granted', gdapLink: GDAP }))),
      ],
      [
        'request-draft-saved',
        () =>
          requestCard(
            requestCardModel(
              aRequest({
                timeline: [
                  { type: 'created', at: AT, actor: ANA },
                  { type: 'draft-saved', at: '2026-11-25T14:02:00.000Z', actor: ANA },
                ],
              }),
            ),
          ),
      ],
      [
        'request-long-draft',
        () =>
          requestCard(
            requestCardModel(
              aRequest({ draft: { subject: 'S', body: `${'Lorem ipsum dolor sit amet. '.repeat(90)}${LINK}` } }),
            ),
          ),
      ],
      [
        'status',
        () => {
          const r = aRequest({
            status: 'sent',
            timeline: [
              { type: 'created', at: AT, actor: ANA },
              { type: 'draft-saved', at: '2026-11-23T10:05:00.000Z', actor: ANA },
              { type: 'status', from: 'draft', to: 'sent', at: '2026-11-23T10:06:00.000Z', actor: ANA },
            ],
          });
          return statusCard({
            request: requestCardModel(r),
            timeline: timelineModel(r),
            earlier: earlierTimelineText(r),
          });
        },
      ],
      ['request-form', async () => replyCard(await reply('request relationship'))],
      ['request-form-errors', async () => replyCard(await reply('request relationship Contoso not-an-email'))],
      ['help', async () => replyCard(await reply('help'))],
      [
        'list',
        async () => {
          await reply('request relationship Contoso Ltd admin@contoso.com');
          await reply('request relationship Fabrikam Inc it@fabrikam.example');
          return replyCard(await reply('list'));
        },
      ],
      ['list-empty', async () => replyCard(await reply('list'))],
      [
        'notification-accepted',
        () => notificationCard(requestNotification('relationship.accepted', aRequest({ status: 'accepted' }), AT)),
      ],
      [
        'notification-revoked',
        () =>
          notificationCard(
            requestNotification(
              'admin.revoked',
              aRequest({
                status: 'accepted',
                adminAccess: 'revoked',
                timeline: [revokedAfterGrant(AT)],
              }),
              AT,
            ),
          ),
      ],
      ['text-error', () => textCard('There is no request RR-ZZZZZ in this workspace.\nTry "list all".', 'error')],
    ];
    for (const [name, build] of entries) {
      it(name, async () => {
        const card = await build();
        checkCard(name, card);
        matchGolden(name, card);
      });
    }

    it('every notification event renders cleanly', () => {
      for (const event of NOTIFICATION_EVENTS)
        checkCard(event, notificationCard(requestNotification(event, aRequest(), AT, ['a detail line'])));
    });

    it('the checks themselves catch a bad card', () => {
      const bad = {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlockz', text: '${x}' }],
      } as AdaptiveCard;
      assert.throws(() => {
        checkCard('bad', bad);
      }, /official parser/);
      const leftover = {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: '${x}' }],
      } as AdaptiveCard;
      assert.throws(() => {
        checkCard('leftover', leftover);
      }, /leftover/);
    });
  });

  describe('user text is inert', () => {
    const HOSTILE = [
      '${Exit()}',
      "${json('{}')}",
      '[x](https://evil.example)',
      '**bold** _i_',
      '<at>Someone</at>',
      '{{DATE(2026-01-01T00:00:00Z)}}',
    ];

    it('a hostile customer name, contact, draft, subject and editor show literally, only in TextRuns and input values', () => {
      const name = HOSTILE.join(' ');
      const body = `${HOSTILE.join('\n')}\n${LINK}`;
      const r = aRequest({
        customerName: name,
        draft: { subject: '${Exit()} [s](https://evil.example)', body },
        timeline: [{ type: 'draft-saved', at: AT, actor: { ...ANA, name } }],
      });
      const saved = requestCard(requestCardModel(r));
      for (const card of [
        saved,
        requestCard(requestCardModel({ ...r, status: 'accepted' })),
        notificationCard(requestNotification('relationship.accepted', r, AT)),
        // "status <name>" matching several requests titles the list with the customer's name (found by fuzzing)
        replyCard(
          cardReply(
            'list',
            {
              filter: 'all',
              title: `Requests for ${name}`,
              items: [listItemModel(r, new Date(AT))],
              total: 1,
              more: '',
              emptyText: '',
            },
            'user',
          ),
        ),
      ]) {
        assert.deepEqual(officialProblems(card), []);
        const strings = stringsOf(card);
        assert.ok(strings.includes(name), 'the name is shown exactly as typed');
        if (card === saved) assert.ok(strings.includes(`Draft saved by ${name} · 23 Nov 2026, 10:00 UTC`));
        // Where can user text appear? Only in places that render no Markdown and evaluate nothing.
        const places = new Set<string>();
        const walk = (node: unknown, parentType: string, key: string) => {
          if (typeof node === 'string') {
            if (HOSTILE.some((bad) => node.includes(bad))) places.add(`${parentType}.${key}`);
            return;
          }
          if (Array.isArray(node))
            node.forEach((child) => {
              walk(child, parentType, key);
            });
          else if (node && typeof node === 'object') {
            const type = (node as { type?: string }).type ?? parentType;
            for (const [k, v] of Object.entries(node)) walk(v, type, k);
          }
        };
        walk(card, 'AdaptiveCard', '');
        for (const place of places)
          assert.ok(['TextRun.text', 'Input.Text.value'].includes(place), `user text in ${place}`);
      }
    });

    it('hostile text typed into the chat stays text through the whole command path', async () => {
      const card = replyCard(await reply('request relationship ${Exit()} [x](https://evil.example) admin@contoso.com'));
      assert.ok(stringsOf(card).includes('${Exit()} [x](https://evil.example)'));
      assert.deepEqual(officialProblems(card), []);
    });
  });

  describe('size', () => {
    it('the largest possible cards stay under 28 KB (sizes logged for the record)', () => {
      // 100-character name, 254-character email, 253-character domain, 200-character subject and a 3,000-character
      // draft of 4-byte characters (the most JSON bytes per counted character), GDAP link and notes.
      const label = 'a'.repeat(63);
      const domain = `${label}.${label}.${label}.${'b'.repeat(61)}`;
      const emoji = '😀';
      const body = `${emoji.repeat(3000 - LINK.length - GDAP.length - 2)}\n${LINK}\n${GDAP}`;
      const worst = aRequest({
        customerName: 'W'.repeat(100),
        contactEmail: `${'c'.repeat(64)}@${'d'.repeat(185)}.test`,
        domain,
        gdapLink: GDAP,
        adminAccess: 'pending',
        draft: { subject: emoji.repeat(200), body },
        timeline: Array.from({ length: 500 }, (_, i): TimelineEntry => ({
          type: 'draft-saved',
          at: AT,
          actor: { ...ANA, name: `${'N'.repeat(90)}${i}` },
        })),
      });
      const sizes: Record<string, number> = {};
      for (const status of ['draft', 'sent', 'accepted'] as const) {
        const r = { ...worst, status };
        const card = requestCard(requestCardModel(r));
        checkCard(`request-${status}`, card);
        sizes[`request (${status})`] = cardSizeBytes(card);
        const status_ = statusCard({
          request: requestCardModel(r),
          timeline: timelineModel(r),
          earlier: earlierTimelineText(r),
        });
        checkCard(`status-${status}`, status_);
        sizes[`status (${status}, 500 events)`] = cardSizeBytes(status_);
      }
      const notice = notificationCard(
        requestNotification(
          'admin.revoked',
          worst,
          AT,
          Array.from({ length: 5 }, () => 'x'.repeat(300)),
        ),
      );
      checkCard('notification', notice);
      sizes['notification'] = cardSizeBytes(notice);
      // Longer names than any real person has: the oldest timeline rows give way, with a note saying so.
      const extreme = {
        ...worst,
        timeline: worst.timeline.map((e) => ({ ...e, actor: { ...e.actor, name: 'M'.repeat(400) } })),
      };
      const trimmed = statusCard({
        request: requestCardModel(extreme),
        timeline: timelineModel(extreme),
        earlier: earlierTimelineText(extreme),
      });
      checkCard('status-extreme', trimmed);
      assert.ok(
        stringsOf(trimmed).some((s) =>
          /480 earlier events are not shown\. \d+ more left out to fit the message\./.test(s),
        ),
      );
      const normal = cardSizeBytes(requestCard(requestCardModel(aRequest())));
      // eslint-disable-next-line no-console -- the rendered sizes are part of what this test reports
      console.log(
        `      card sizes: typical request ${normal} B; worst case ${Object.entries(sizes)
          .map(([k, v]) => `${k} ${v} B`)
          .join(', ')}; limit ${CARD_SIZE_LIMIT_BYTES} B`,
      );
    });
  });
});
