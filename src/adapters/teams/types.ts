import type { CoreDeps } from '../../core/commands/types.js';
import type { ChannelNotifier, Logger } from '../../core/ports.js';

export interface TeamsDeps {
  readonly core: CoreDeps;
  readonly logger: Logger;
  /** used to bring other copies of a request's card up to date after a card action */
  readonly notifier: ChannelNotifier;
  /** messages being answered in this process, by activity: a second delivery of one waits for the first */
  readonly turns: Map<string, Promise<void>>;
}
