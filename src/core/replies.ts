/**
 * Neutral replies: what the core answers, before any platform renders it. Text is plain text — adapters escape it
 * for their markup — and cards are a card name plus its typed model (`views/models.ts`).
 */
import {
  ConflictError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  StorageUnavailableError,
  UpstreamError,
  ValidationError,
} from './errors.js';
import type { CardLocation } from './model.js';
import type { CardModels, CardName } from './views/models.js';

/** `conversation`: everyone in the chat sees it; `user`: only the person who asked (Slack ephemeral). */
export type Audience = 'conversation' | 'user';

export type Tone = 'info' | 'success' | 'warning' | 'error';

export interface TextReply {
  readonly kind: 'text';
  readonly text: string;
  readonly tone: Tone;
  readonly audience: Audience;
}

/**
 * Work to finish after the card is posted, whose result replaces the card in place (`runFollowUp`): asking the
 * customer for admin rights takes two Graph calls, and the card need not wait for them.
 */
export interface FollowUp {
  readonly kind: 'admin-access';
  readonly requestId: string;
  /** the first card's notes, kept on the card that replaces it */
  readonly notes: readonly string[];
}

export type CardReply = {
  readonly [K in CardName]: {
    readonly kind: 'card';
    readonly card: K;
    readonly data: CardModels[K];
    readonly audience: Audience;
    readonly followUp?: FollowUp;
    /** the request's card was posted before (a replayed command): shown there, in place, instead of posted again */
    readonly existing?: CardLocation | undefined;
  };
}[CardName];

export type Reply = TextReply | CardReply;

export function text(message: string, tone: Tone = 'info', audience: Audience = 'user'): TextReply {
  return { kind: 'text', text: message, tone, audience };
}

export function card<K extends CardName>(name: K, data: CardModels[K], audience: Audience): CardReply {
  return { kind: 'card', card: name, data, audience } as CardReply;
}

/**
 * Turn a core error into what the user should read. Errors that are not ours are returned as `undefined`: the
 * adapter logs them and answers with a generic apology — they are bugs, not user mistakes.
 */
export function errorReply(err: unknown): TextReply | undefined {
  if (err instanceof ValidationError) {
    return text(err.usage ? `${err.message}\nUsage: ${err.usage}` : err.message, 'warning');
  }
  if (err instanceof NotFoundError) return text(err.message, 'warning');
  if (err instanceof PermissionError) return text(err.message, 'error');
  if (err instanceof ConflictError) return text(err.message, 'warning');
  if (err instanceof StorageUnavailableError) {
    return text('Storage is unavailable right now, so nothing was changed. Please try again in a minute.', 'error');
  }
  if (err instanceof RateLimitedError) {
    const wait = err.retryAfterSeconds === undefined ? 'in a minute' : `in ${Math.ceil(err.retryAfterSeconds)} s`;
    return text(`${err.message} Please try again ${wait}; nothing was changed.`, 'warning');
  }
  if (err instanceof UpstreamError) return text(`${err.message} Nothing was changed; please try again.`, 'error');
  return undefined;
}
