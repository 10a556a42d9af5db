import { ConflictError, NotFoundError } from '../errors.js';
import type { RelationshipRequest } from '../model.js';
import type { RequestRepository } from '../ports.js';
import type { RequestChange } from './state-machine.js';

const ATTEMPTS = 4;

/**
 * Read a request, decide a change from what is stored now, and store it with a version check; when someone else
 * changed it in between, read again and decide again (so a replayed transition becomes a no-op, and an illegal one
 * is refused against the latest state). `decide` returns `null` for "nothing to do".
 */
export async function mutateRequest(
  requests: RequestRepository,
  id: string,
  decide: (current: RelationshipRequest) => RequestChange | null,
  /** the request as the caller last read it, tried first instead of reading it again (a stale one just costs a retry) */
  known?: RelationshipRequest,
): Promise<{ request: RelationshipRequest; changed: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const current = attempt === 1 && known ? known : await requests.get(id);
    if (!current) throw new NotFoundError(`There is no request ${id}.`);
    const change = decide(current);
    if (!change) return { request: current, changed: false };
    try {
      return { request: await requests.update(id, current.version, change), changed: true };
    } catch (err) {
      if (!(err instanceof ConflictError && err.reason === 'version') || attempt >= ATTEMPTS) throw err;
    }
  }
}
