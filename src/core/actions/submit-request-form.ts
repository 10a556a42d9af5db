import { checkRequester, checkWorkspace } from '../access.js';
import { createRequest, type RequestArgs } from '../commands/request.js';
import type { CommandInput, CoreDeps } from '../commands/types.js';
import { squash, unwrapDomain, unwrapEmail } from '../commands/words.js';
import type { Reply } from '../replies.js';

export interface RequestFormFields {
  readonly customerName: string;
  readonly contactEmail: string;
  readonly domain: string;
  /** optional: the customer's tenant id or `*.onmicrosoft.com` domain (older stored jobs have none) */
  readonly tenant?: string | undefined;
}

/**
 * The request form (Teams card inputs, Slack modal) submitted: the same rules and result as the command — the
 * request card, or the form again with what is wrong. `input.messageId` should identify the form, so submitting the
 * same form twice creates one request.
 */
export function submitRequestForm(deps: CoreDeps, input: CommandInput, fields: RequestFormFields): Promise<Reply> {
  checkWorkspace(deps.settings.access, input.platform, input.tenant);
  checkRequester(deps.settings.access, input.user);
  return createRequest(deps, input, formArgs(fields));
}

/** The form's fields as the command's arguments, tidied as a person would expect (spaces, `<mailto:…>` wrappers). */
export function formArgs(fields: RequestFormFields): RequestArgs {
  return {
    customerName: squash(fields.customerName),
    contactEmail: unwrapEmail(fields.contactEmail),
    domain: unwrapDomain(fields.domain),
    tenant: unwrapDomain(fields.tenant ?? ''),
    leftover: '',
  };
}
