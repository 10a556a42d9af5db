import type { Platform } from '../model.js';

/** A button press on a request card, in neutral terms. */
export interface ActionInput {
  readonly platform: Platform;
  readonly tenant: string;
  readonly user: { readonly id: string; readonly name: string; readonly aadObjectId?: string | undefined };
  readonly requestId: string;
}
