import { strict as assert } from 'node:assert';
import { loadConfig } from '../src/config.js';
import { REDACTED, scrubber } from '../src/logging.js';
import { captureLogger } from './support/logs.js';

describe('logging', () => {
  const config = loadConfig(
    {
      SLACK_BOT_TOKEN: 'xoxb-1234-5678-SECRETTOKEN',
      SLACK_SIGNING_SECRET: 'signing"secret\\with-quotes',
      MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
      MicrosoftAppPassword: 'app-password-value',
      MONGODB_URI: 'mongodb://bot:mongo-pass-123@db:27017/app',
    },
    '/srv',
  );

  it('never writes a configured secret, wherever it appears', () => {
    const { logger, lines } = captureLogger(config.secrets);
    logger.info({ config }, 'the whole config object');
    logger.info({ headers: { authorization: 'Bearer abc.def.ghi' } }, 'inbound');
    logger.error({ err: new Error(`Slack said invalid_auth for xoxb-1234-5678-SECRETTOKEN`) }, 'upstream failed');
    logger.warn({ detail: { nested: ['app-password-value'] } }, 'array member');
    logger.info({}, `message text with signing"secret\\with-quotes inside`);
    logger.warn({ uri: config.store.kind === 'mongodb' ? config.store.uri : '' }, 'connecting');
    logger.error({ err: new Error('auth failed for user bot with mongo-pass-123') }, 'store');

    const output = lines.join('\n');
    assert.equal(lines.length, 7);
    for (const secret of config.secrets) assert.ok(!output.includes(secret), `leaked ${secret}`);
    assert.ok(!output.includes('SECRETTOKEN'));
    assert.ok(!output.includes('mongo-pass-123'));
    assert.ok(!output.includes('Bearer abc.def.ghi'), 'authorization headers are redacted by path');
    assert.ok(output.includes(REDACTED));
    for (const line of lines) JSON.parse(line);
  });

  it('keeps the rest of each line intact', () => {
    const scrub = scrubber(['s3cret-value']);
    assert.equal(
      scrub('{"msg":"token s3cret-value used twice: s3cret-value"}'),
      `{"msg":"token ${REDACTED} used twice: ${REDACTED}"}`,
    );
    assert.equal(scrubber([])('unchanged'), 'unchanged');
  });
});
