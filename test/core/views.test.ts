import { strict as assert } from 'node:assert';
import {
  ConflictError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  StorageUnavailableError,
  UpstreamError,
  ValidationError,
} from '../../src/core/errors.js';
import { errorReply } from '../../src/core/replies.js';
import { formatAge, formatInstant, MAILTO_MAX_LENGTH, mailtoLink } from '../../src/core/views/format.js';
import { describeEntry, requestCardModel } from '../../src/core/views/request-view.js';
import type { RelationshipRequest, TimelineEntry } from '../../src/core/model.js';
import { request } from '../contract/store-contract.js';

describe('views', () => {
  it('formats instants in UTC and ages in the largest whole unit', () => {
    assert.equal(formatInstant('2026-01-05T07:03:00.000Z'), '5 Jan 2026, 07:03 UTC');
    assert.equal(formatInstant('not a date'), 'not a date');
    const now = new Date('2026-11-23T10:00:00.000Z');
    assert.equal(formatAge('2026-11-23T09:59:30.000Z', now), 'just now');
    assert.equal(formatAge('2026-11-23T09:55:00.000Z', now), '5 min');
    assert.equal(formatAge('2026-11-22T10:00:00.000Z', now), '24 h');
    assert.equal(formatAge('2026-11-13T10:00:00.000Z', now), '10 days');
    assert.equal(formatAge('2026-11-24T10:00:00.000Z', now), 'just now', 'clock skew is not negative time');
  });

  it('builds a mailto with a readable address and encoded subject and body (CRLF line breaks)', () => {
    assert.deepEqual(
      mailtoLink('first.last+csp@contoso.com', 'Hello & welcome?', 'Line 1\nLine 2 https://x.test/?a=1&b=2#f'),
      {
        url: 'mailto:first.last%2Bcsp@contoso.com?subject=Hello%20%26%20welcome%3F&body=Line%201%0D%0ALine%202%20https%3A%2F%2Fx.test%2F%3Fa%3D1%26b%3D2%23f',
        includesBody: true,
      },
    );
  });

  it('leaves the body out when the link would be too long for email clients (a long non-Latin draft)', () => {
    const link = mailtoLink('it@test.co.jp', '件名', '株式会社'.repeat(200));
    assert.equal(link.includesBody, false);
    assert.equal(link.url, `mailto:it@test.co.jp?subject=${encodeURIComponent('件名')}`);
    assert.ok(mailtoLink('a@b.co', 's', 'x'.repeat(1900)).url.length <= MAILTO_MAX_LENGTH);
  });

  it('offers only the buttons that still apply', () => {
    const buttons = (status: RelationshipRequest['status']) => {
      const m = requestCardModel(request('RR-1', { status }));
      return [m.canSaveDraft, m.canMarkSent, m.canCancel];
    };
    assert.deepEqual(buttons('draft'), [true, true, true]);
    assert.deepEqual(buttons('sent'), [true, false, true]);
    for (const closed of ['accepted', 'cancelled', 'expired', 'removed'] as const)
      assert.deepEqual(buttons(closed), [false, false, false]);
  });

  it('gives every card field a value: no undefined, no null (templating leaves ${…} for those)', () => {
    const model = requestCardModel(request('RR-1'));
    for (const [key, value] of Object.entries(model)) assert.ok(value !== undefined && value !== null, key);
    assert.equal(model.gdapLink, '');
    assert.equal(model.hasGdapLink, false);
  });

  it("says on the card who saved the draft last and when (UTC), '' until someone does", () => {
    const ana = { kind: 'user', platform: 'teams', id: '29:1ana', name: 'Ana Lopez' } as const;
    const ben = { ...ana, id: '29:1ben', name: 'Ben Ito' };
    assert.equal(requestCardModel(request('RR-1')).draftSavedText, '');
    const saved = request('RR-1', {
      timeline: [
        { type: 'created', at: '2026-11-23T10:00:00.000Z', actor: ana },
        { type: 'draft-saved', at: '2026-11-24T09:00:00.000Z', actor: ben },
        { type: 'draft-saved', at: '2026-11-25T14:02:30.000Z', actor: ana },
        { type: 'status', from: 'draft', to: 'sent', at: '2026-11-25T15:00:00.000Z', actor: ben },
      ],
    });
    assert.equal(requestCardModel(saved).draftSavedText, 'Draft saved by Ana Lopez · 25 Nov 2026, 14:02 UTC');
  });

  it('describes every kind of timeline entry', () => {
    const actor = { kind: 'user', platform: 'slack', id: 'U1', name: 'Bo' } as const;
    const system = { kind: 'system', name: 'Partner Center' } as const;
    const at = '2026-11-23T10:00:00.000Z';
    const entries: [TimelineEntry, string][] = [
      [{ type: 'created', at, actor }, 'Bo created the request'],
      [{ type: 'draft-saved', at, actor }, 'Bo edited the draft'],
      [{ type: 'customer-linked', tenantId: 't-1', at, actor: system }, 'Linked to customer tenant t-1'],
      [{ type: 'status', from: 'draft', to: 'sent', at, actor }, 'Bo marked the email as sent'],
      [
        { type: 'status', from: 'sent', to: 'accepted', at, actor: system },
        'The customer accepted the reseller relationship',
      ],
      [{ type: 'status', from: 'sent', to: 'expired', at, actor: system }, 'The invitation expired without an answer'],
      [{ type: 'status', from: 'accepted', to: 'removed', at, actor: system }, 'The reseller relationship was removed'],
      [
        { type: 'adminAccess', from: 'not-requested', to: 'pending', at, actor: system },
        'Admin access (GDAP) requested — waiting for the customer to approve',
      ],
      [
        { type: 'adminAccess', from: 'pending', to: 'granted', at, actor: system },
        'The customer approved admin access (GDAP)',
      ],
      [{ type: 'adminAccess', from: 'granted', to: 'revoked', at, actor: system }, 'Admin access (GDAP) was revoked'],
      [{ type: 'adminAccess', from: 'granted', to: 'expired', at, actor: system }, 'Admin access (GDAP) expired'],
    ];
    for (const [entry, text] of entries) assert.equal(describeEntry(entry), text);
  });

  it('turns each core error into a reply a person can act on', () => {
    assert.deepEqual(errorReply(new ValidationError('Bad thing.', {}, 'list [open|accepted|all]')), {
      kind: 'text',
      text: 'Bad thing.\nUsage: list [open|accepted|all]',
      tone: 'warning',
      audience: 'user',
    });
    assert.equal(errorReply(new NotFoundError('No such request.'))?.text, 'No such request.');
    assert.equal(errorReply(new PermissionError('Not allowed.'))?.tone, 'error');
    assert.equal(errorReply(new ConflictError('Changed meanwhile.', 'version'))?.tone, 'warning');
    assert.match(
      errorReply(new StorageUnavailableError('MongoDB is unreachable: x'))?.text ?? '',
      /^Storage is unavailable right now/,
    );
    assert.equal(
      errorReply(new RateLimitedError('Partner Center is busy.', 57.2))?.text,
      'Partner Center is busy. Please try again in 58 s; nothing was changed.',
    );
    assert.match(errorReply(new RateLimitedError('Busy.'))?.text ?? '', /in a minute/);
    assert.equal(
      errorReply(new UpstreamError('Partner Center did not answer.', 'partner-center'))?.text,
      'Partner Center did not answer. Nothing was changed; please try again.',
    );
    assert.equal(errorReply(new TypeError('bug')), undefined);
    assert.equal(new ValidationError('x').name, 'ValidationError');
  });
});
