/** Block Kit rendering: every card within Slack's limits, even at the longest inputs, and drafts over 3,000 characters. */
import { strict as assert } from 'node:assert';
import {
  editDraftModal,
  helpMessage,
  MESSAGE_BLOCKS_MAX,
  MODAL_BLOCKS_MAX,
  requestFormModal,
  requestMessage,
  statusMessage,
  textMessage,
} from '../../../src/adapters/slack/blocks.js';
import { chunkEscaped, escapeMrkdwn } from '../../../src/adapters/slack/mrkdwn.js';
import { earlierTimelineText, requestCardModel, timelineModel } from '../../../src/core/views/request-view.js';
import { request } from '../../contract/store-contract.js';

function textObjects(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textObjects);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const own =
      (o['type'] === 'mrkdwn' || o['type'] === 'plain_text') && typeof o['text'] === 'string' ? [o['text']] : [];
    return [...own, ...Object.values(o).flatMap(textObjects)];
  }
  return [];
}

describe('Slack blocks', () => {
  const worstBody = `Dear & <customer>\n${'&<>'.repeat(900)}\nhttps://example.test/link`;
  const worst = request('RR-WORST', {
    customerName: 'Ж'.repeat(100),
    draft: { subject: '<'.repeat(200), body: worstBody },
    timeline: Array.from({ length: 500 }, (_, i) => ({
      type: 'draft-saved',
      at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      actor: { kind: 'user', platform: 'slack', id: 'U1', name: '<@U1>'.repeat(20) },
    })),
  });

  it('keeps every message within 50 blocks and every text object within 3,000 characters', () => {
    const model = requestCardModel(worst);
    const messages = [
      requestMessage(model),
      statusMessage({ request: model, timeline: timelineModel(worst), earlier: earlierTimelineText(worst) }),
      helpMessage({ notice: 'x', commands: [{ usage: 'a', summary: 'b' }], examples: ['c'] }),
      textMessage('y'.repeat(10_000)),
    ];
    for (const message of messages) {
      assert.ok(message.blocks.length <= MESSAGE_BLOCKS_MAX, `${message.blocks.length} blocks`);
      assert.ok(message.text.length > 0 && message.text.length <= 4000);
      for (const text of textObjects(message.blocks))
        assert.ok(text.length > 0 && text.length <= 3000, `${text.length} characters`);
      const header = message.blocks.find((b) => b.type === 'header');
      if (header) assert.ok(textObjects(header)[0]!.length <= 150);
    }
  });

  it('shows who saved the draft last, escaped (a name is user text, never a mention or link), under the draft', () => {
    const name = '<!channel> *Ana* <@U1> & <https://evil.example|x>';
    const saved = request('RR-SAVED', {
      timeline: [
        {
          type: 'draft-saved',
          at: '2026-11-25T14:02:00.000Z',
          actor: { kind: 'user', platform: 'slack', id: 'U1', name },
        },
      ],
    });
    const { blocks } = requestMessage(requestCardModel(saved));
    const at = blocks.findIndex((b) => textObjects(b).some((t) => t.startsWith('Draft saved by')));
    assert.ok(at > 0, 'a line for the saved draft');
    assert.equal(blocks[at]?.type, 'context');
    assert.deepEqual(textObjects(blocks[at]), [`Draft saved by ${escapeMrkdwn(name)} · 25 Nov 2026, 14:02 UTC`]);
    assert.ok(!JSON.stringify(blocks).includes('<!channel>'), 'no raw markup anywhere');
    const bodyAt = blocks.findIndex((b) => textObjects(b).some((t) => t.includes('please accept')));
    assert.equal(at, bodyAt + 1, 'right under the draft');
    const unsaved = requestMessage(requestCardModel(request('RR-NEW'))).blocks;
    assert.ok(!textObjects(unsaved).some((t) => t.includes('Draft saved')), 'no line before anyone saves');
  });

  it('splits a long escaped draft over several sections, losing nothing and cutting no escape in half', () => {
    const escaped = escapeMrkdwn(worstBody);
    assert.ok(escaped.length > 3000);
    const chunks = chunkEscaped(escaped);
    assert.ok(chunks.length >= 2);
    for (const chunk of chunks) {
      assert.ok(chunk.length <= 3000);
      assert.doesNotMatch(chunk, /&(a|am|l|g|lt|gt|amp)?$/, 'no escape cut at the end');
    }
    assert.equal(chunks.join('').replace(/\n/g, ''), escaped.replace(/\n/g, ''));
  });

  it('modals stay within 100 blocks, with the draft prefilled as typed (plain text inputs are not markup)', () => {
    const model = requestCardModel(worst);
    const edit = editDraftModal(model, '{}');
    assert.ok(edit.blocks.length <= MODAL_BLOCKS_MAX);
    assert.ok(JSON.stringify(edit).includes(JSON.stringify(worstBody).slice(1, -1)));
    const form = requestFormModal(
      {
        customerName: '',
        contactEmail: '',
        domain: '',
        tenant: '',
        customerNameError: '',
        contactEmailError: '',
        domainError: '',
        tenantError: '',
        message: 'm',
        usage: 'u',
      },
      '{}',
    );
    assert.doesNotMatch(JSON.stringify(form), /"initial_value":""/, 'no empty initial values (Slack refuses them)');
  });
});
