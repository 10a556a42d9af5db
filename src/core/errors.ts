/**
 * The core's error vocabulary. Use cases throw these; adapters map SDK and HTTP failures into them and turn them
 * into replies (see `replies.ts` `errorReply`). Each carries a stable string `code` for logs and tests.
 */
export abstract class BotError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The user's input is wrong; `problems` maps a field (or `input`) to what is wrong with it. */
export class ValidationError extends BotError {
  readonly code = 'validation';
  constructor(
    message: string,
    readonly problems: Readonly<Record<string, string>> = {},
    readonly usage?: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends BotError {
  readonly code = 'not_found';
}

export class PermissionError extends BotError {
  readonly code = 'permission';
}

/** The thing changed under us, or already exists. `reason` tells which. */
export class ConflictError extends BotError {
  readonly code: string = 'conflict';
  constructor(
    message: string,
    readonly reason: 'version' | 'duplicate' | 'state' = 'state',
  ) {
    super(message);
  }
}

/** A state change the state tables do not allow (docs/behaviour.md#requests-and-their-states). */
export class IllegalTransitionError extends ConflictError {
  override readonly code = 'illegal_transition';
  constructor(
    readonly machine: 'status' | 'adminAccess',
    readonly from: string,
    readonly to: string,
    message: string,
  ) {
    super(message, 'state');
  }
}

export class RateLimitedError extends BotError {
  readonly code = 'rate_limited';
  constructor(
    message: string,
    /** seconds to wait before trying again, when the remote side said so */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/**
 * A remote service (Partner Center, Graph, Slack, Bot Connector) failed or answered nonsense. `retryable` says whether
 * trying the same call again later can help (timeouts, 412, 502–504) or not (a 400 or 413 will fail the same way).
 */
export class UpstreamError extends BotError {
  readonly code: string = 'upstream';
  readonly retryable: boolean;
  constructor(
    message: string,
    readonly service: string,
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(message, options);
    this.retryable = options?.retryable ?? true;
  }
}

/** The store cannot be reached; nothing was changed. */
export class StorageUnavailableError extends UpstreamError {
  override readonly code = 'storage_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'store', options);
  }
}

/**
 * A notification destination no longer exists or no longer accepts the bot (Teams `BotNotInConversationRoster`,
 * `ConversationBlockedByUser`; Slack `channel_not_found`, `is_archived`, `not_in_channel`): retrying cannot help.
 */
export class DestinationGoneError extends BotError {
  readonly code = 'destination_gone';
  constructor(
    message: string,
    /** the platform's own reason, kept on the disabled subscription for operators */
    readonly reason: string,
  ) {
    super(message);
  }
}

export function isBotError(err: unknown): err is BotError {
  return err instanceof BotError;
}
