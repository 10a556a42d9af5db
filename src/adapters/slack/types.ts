import type { WebClient } from '@slack/web-api';
import type { CoreDeps } from '../../core/commands/types.js';
import type { ChannelNotifier, Logger } from '../../core/ports.js';
import type { Backlog } from './backlog.js';

export interface SlackDeps {
  readonly core: CoreDeps;
  readonly logger: Logger;
  /** brings other copies of a request's card (another platform's, a re-post) up to date after a change */
  readonly notifier: ChannelNotifier;
  /** where work after `ack()` waits its turn */
  readonly backlog: Backlog;
}

export type Client = WebClient;
