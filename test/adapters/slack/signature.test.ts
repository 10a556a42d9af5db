/** Slack's v0 request signature, checked in constant time over the exact bytes and the timestamp header as sent. */
import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import { signatureProblem } from '../../../src/adapters/slack/route.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW = new Date('2026-11-24T10:00:00Z');
const TS = String(NOW.getTime() / 1000);
const BODY = 'token=x&team_id=T1&command=%2Frelationship&text=list';
const sign = (body: string, ts = TS, secret = SECRET) =>
  `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
const check = (signature: string | undefined, ts: string | null = TS, body = BODY) =>
  signatureProblem(
    {
      ...(signature === undefined ? {} : { 'x-slack-signature': signature }),
      ...(ts === null ? {} : { 'x-slack-request-timestamp': ts }),
    },
    body,
    SECRET,
    NOW,
  );

describe('Slack request signature', () => {
  it('accepts the signature Slack computes', () => {
    assert.equal(check(sign(BODY)), undefined);
  });

  it('refuses, each with its reason: unsigned, another body, another secret, another version, cut short, upper case', () => {
    assert.equal(check(undefined), 'The request is not signed.');
    assert.equal(check(sign(BODY), null), 'The request is not signed.');
    const mismatch = 'The request signature does not match.';
    assert.equal(check(sign(`${BODY}&x=1`)), mismatch);
    assert.equal(check(sign(BODY, TS, 'another-secret')), mismatch);
    assert.equal(check(sign(BODY).replace(/^v0=/, 'v1=')), mismatch);
    assert.equal(check(sign(BODY).slice(0, -2)), mismatch);
    assert.equal(check(sign(BODY).toUpperCase()), mismatch);
    assert.equal(check(`${sign(BODY)}00`), mismatch);
  });

  it('signs the timestamp as sent and refuses one more than 5 minutes away, either way', () => {
    assert.equal(check(sign(BODY, 'soon'), 'soon'), 'The request timestamp is not a number.');
    const late = String(Number(TS) - 301);
    const early = String(Number(TS) + 301);
    assert.match(check(sign(BODY, late), late) ?? '', /more than 5 minutes/);
    assert.match(check(sign(BODY, early), early) ?? '', /more than 5 minutes/);
    const edge = String(Number(TS) - 300);
    assert.equal(check(sign(BODY, edge), edge), undefined);
  });
});
