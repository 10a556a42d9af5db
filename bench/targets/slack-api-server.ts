/**
 * The Slack Web API fake in its own process, for the Slack benchmark: Slack is a remote service in production, so its
 * stand-in must not take CPU from the load generator's event loop (the emulator runs apart for the same reason).
 */
import { FakeSlackApi } from '../../test/fakes/slack-api.js';
import { announce } from '../lib/child.js';

const slack = await FakeSlackApi.start();
process.once('SIGTERM', () => {
  void slack.close().then(() => process.exit(0));
});
announce(slack.url);
