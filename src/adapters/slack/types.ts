import type { WebClient } from '@slack/web-api';
import type { CoreDeps } from '../../core/commands/types.js';
import type { NewJob } from '../../core/outbox/types.js';
import type { ChannelNotifier, Logger } from '../../core/ports.js';
import type { Intake } from './intake.js';

export interface SlackDeps {
  readonly core: CoreDeps;
  readonly logger: Logger;
  /** brings other copies of a request's card (another platform's, a re-post) up to date after a change */
  readonly notifier: ChannelNotifier;
  /** the bound on acknowledged work not yet done */
  readonly intake: Intake;
  /** Record jobs durably and wake the job runner; resolves once they are stored (acknowledge after that). */
  submit(jobs: readonly NewJob[]): Promise<void>;
}

export type Client = WebClient;
