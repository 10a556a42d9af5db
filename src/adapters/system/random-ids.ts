import { randomFillSync } from 'node:crypto';
import type { IdSource } from '../../core/ports.js';
import { REQUEST_ID_LENGTH, requestIdFromBytes } from '../../core/requests/ids.js';

/** Request ids from the operating system's CSPRNG: unguessable, so ids in links reveal nothing. */
export const randomIds: IdSource = {
  requestId: () => requestIdFromBytes(randomFillSync(new Uint8Array(REQUEST_ID_LENGTH))),
};
