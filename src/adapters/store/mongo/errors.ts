import {
  MongoBulkWriteError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { BotError, ConflictError, StorageUnavailableError, UpstreamError } from '../../../core/errors.js';

export const DUPLICATE_KEY = 11000;
// https://www.mongodb.com/docs/manual/reference/error-codes/ — AuthenticationFailed, Unauthorized
const AUTH_CODES = new Set([18, 13]);

export function isDuplicateKey(err: unknown): boolean {
  return (err instanceof MongoServerError || err instanceof MongoBulkWriteError) && err.code === DUPLICATE_KEY;
}

/** Translate driver errors into the core's vocabulary; core errors pass through untouched. */
export function mapMongoError(err: unknown, what = 'The record'): Error {
  if (err instanceof BotError) return err;
  if (isDuplicateKey(err)) return new ConflictError(`${what} already exists.`, 'duplicate');
  if (
    err instanceof MongoServerSelectionError ||
    err instanceof MongoNetworkError ||
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoNotConnectedError
  ) {
    return new StorageUnavailableError(`MongoDB is unreachable: ${err.message}`, { cause: err });
  }
  if (err instanceof MongoServerError && typeof err.code === 'number' && AUTH_CODES.has(err.code)) {
    return new StorageUnavailableError(`MongoDB refused our credentials (code ${err.code}): ${err.message}`, {
      cause: err,
    });
  }
  if (err instanceof MongoServerError) {
    return new UpstreamError(`MongoDB refused the operation (code ${String(err.code)}): ${err.message}`, 'mongodb', {
      cause: err,
    });
  }
  return err instanceof Error ? err : new Error(String(err));
}
