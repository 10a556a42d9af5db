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
const check = (signature: string | undefined, ts: string | null = TS, body: string | Buffer = BODY) =>
  signatureProblem(
    {
      ...(signature === undefined ? {} : { 'x-slack-signature': signature }),
      ...(ts === null ? {} : { 'x-slack-request-timestamp': ts }),
    },
    typeof body === 'string' ? Buffer.from(body) : body,
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

  it('checks the bytes received: a byte that is not UTF-8 does not pass for the U+FFFD it decodes to', () => {
    const received = Buffer.concat([Buffer.from('text='), Buffer.from([0xff]), Buffer.from('&team_id=T1')]);
    const decoded = received.toString('utf8'); // "text=\uFFFD&team_id=T1"
    assert.equal(check(sign(decoded), TS, received), 'The request signature does not match.');
    const signedOverBytes = `v0=${createHmac('sha256', SECRET).update(`v0:${TS}:`).update(received).digest('hex')}`;
    assert.equal(check(signedOverBytes, TS, received), undefined);
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
