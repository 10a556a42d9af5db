import { ConflictError } from '../errors.js';
import { isOpen, scopeOf, SYSTEM_ACTOR, type RelationshipRequest } from '../model.js';
import { card, type Reply } from '../replies.js';
import { requestAdminAccess } from '../requests/admin-access.js';
import { firstCard } from '../card-first.js';
import { composeDraft } from '../requests/draft.js';
import { normaliseCompanyName } from '../requests/matching.js';
import {
  checkCustomerName,
  checkDomain,
  checkEmail,
  checkTenant,
  emailDomain,
  type TenantHint,
} from '../requests/validation.js';
import type { RequestFormModel } from '../views/models.js';
import { requestCardModel } from '../views/request-view.js';
import { defineCommand, type CommandInput, type CoreDeps } from './types.js';
import { splitWords, unquote, unwrapDomain, unwrapEmail } from './words.js';

export const REQUEST_USAGE =
  'request relationship <customer name> <contact email> [domain <customer domain>] [tenant <tenant id or name.onmicrosoft.com>]';

/** What was typed, not yet checked: the request form shows these back with what is wrong. */
export interface RequestArgs {
  readonly customerName: string;
  readonly contactEmail: string;
  readonly domain: string;
  /** the customer's tenant id or `*.onmicrosoft.com` domain ('' when not given) */
  readonly tenant?: string | undefined;
  /** words after the email that are not a `domain …` or `tenant …` clause */
  readonly leftover: string;
}

const CLAUSES = ['domain', 'tenant'] as const;
type Clause = (typeof CLAUSES)[number];

/**
 * `<name words…> <email> [domain <domain>] [tenant <tenant>]`. The email is the last word with an `@`; everything
 * before it is the customer name, so names may hold spaces and any script; clauses follow the email in any order
 * (`domain contoso.com` or `domain:contoso.com`), so a customer called "Domain Name Services" is still a name. Never
 * fails: missing pieces open the form instead.
 */
export function parseRequestArgs(argsText: string): RequestArgs {
  const words = splitWords(argsText);
  let emailAt = -1;
  for (let i = words.length - 1; i >= 0; i--) {
    if (words[i]?.includes('@')) {
      emailAt = i;
      break;
    }
  }
  const values: Partial<Record<Clause, string>> = {};
  const rest: string[] = [];
  const after = emailAt === -1 ? [] : words.slice(emailAt + 1);
  for (let i = 0; i < after.length; i++) {
    const word = after[i] ?? '';
    const inline = /^(domain|tenant)[:=](.+)$/i.exec(word);
    const keyword = word.toLowerCase();
    const named = inline?.[1]?.toLowerCase() ?? '';
    if (inline?.[2] && isClause(named)) values[named] = inline[2];
    else if (isClause(keyword) && i + 1 < after.length) values[keyword] = after[++i] ?? '';
    else rest.push(word);
  }
  if (emailAt === -1) {
    // no email: a trailing inline clause still counts ("Contoso domain:contoso.com")
    const inline = /^(domain|tenant)[:=](.+)$/i.exec(words[words.length - 1] ?? '');
    const named = inline?.[1]?.toLowerCase() ?? '';
    if (inline?.[2] && isClause(named)) {
      values[named] = inline[2];
      words.pop();
    }
  }
  const domain = values.domain === undefined ? '' : unwrapDomain(values.domain);
  const tenant = values.tenant === undefined ? '' : unwrapDomain(values.tenant);
  if (emailAt === -1) return { customerName: unquote(words.join(' ')), contactEmail: '', domain, tenant, leftover: '' };
  return {
    customerName: unquote(words.slice(0, emailAt).join(' ')),
    contactEmail: unwrapEmail(words[emailAt] ?? ''),
    domain,
    tenant,
    leftover: rest.join(' '),
  };
}

function isClause(word: string): word is Clause {
  return (CLAUSES as readonly string[]).includes(word);
}

export const requestCommand = defineCommand<RequestArgs>({
  name: 'request',
  triggers: ['request relationship', 'request'],
  usage: REQUEST_USAGE,
  summary: 'Create a reseller relationship request and post its card with the draft email and links.',
  examples: [
    'request relationship Contoso Ltd admin@contoso.com',
    'request relationship Fabrikam GmbH it@fabrikam.de domain fabrikam.com',
    'request relationship Northwind it@northwind.com tenant nwtraders.onmicrosoft.com',
  ],
  restricted: true,
  parse: (args) => ({ ok: true, args: parseRequestArgs(args) }),
  run: createRequest,
});

const MAX_ID_ATTEMPTS = 5;

/** Arguments that passed every rule, ready to become a request. */
interface CheckedArgs {
  readonly customerName: string;
  readonly contactEmail: string;
  readonly domain: string;
  readonly tenant?: TenantHint | undefined;
}

/**
 * Check what was typed: the values to create a request from, or the form to show instead with what is missing or
 * wrong. Pure: platforms that must open a form within a deadline (Slack's 3 s trigger) call it before anything slow.
 */
export function checkRequestArgs(
  args: RequestArgs,
): { ok: true; value: CheckedArgs } | { ok: false; form: RequestFormModel } {
  const name = checkCustomerName(args.customerName);
  const email = checkEmail(args.contactEmail);
  const domain = args.domain
    ? checkDomain(args.domain)
    : email.ok
      ? { ok: true as const, value: emailDomain(email.value) }
      : undefined;
  const tenant = args.tenant ? checkTenant(args.tenant) : undefined;
  if (name.ok && email.ok && domain?.ok && (!tenant || tenant.ok) && !args.leftover) {
    return {
      ok: true,
      value: {
        customerName: name.value,
        contactEmail: email.value,
        domain: domain.value,
        tenant: tenant?.ok ? tenant.value : undefined,
      },
    };
  }
  const nothingTyped = !args.customerName && !args.contactEmail && !args.domain && !args.tenant;
  const emailProblem = email.ok
    ? args.leftover
      ? `Unexpected words after the email: "${args.leftover}".`
      : ''
    : email.problem;
  return {
    ok: false,
    form: {
      customerName: args.customerName,
      contactEmail: args.contactEmail,
      domain: args.domain,
      tenant: args.tenant ?? '',
      customerNameError: nothingTyped || name.ok ? '' : name.problem,
      contactEmailError: nothingTyped ? '' : emailProblem,
      domainError: domain && !domain.ok ? domain.problem : '',
      tenantError: tenant && !tenant.ok ? tenant.problem : '',
      message: nothingTyped
        ? 'Who should receive the reseller relationship invitation?'
        : 'Please check the highlighted fields.',
      usage: REQUEST_USAGE,
    },
  };
}

/** Create a request from what was typed (the command) or filled in (the form); problems open the form again. */
export async function createRequest(deps: CoreDeps, input: CommandInput, args: RequestArgs): Promise<Reply> {
  const checked = checkRequestArgs(args);
  if (!checked.ok) return card('request-form', checked.form, 'user');
  const { customerName, contactEmail, domain, tenant } = checked.value;

  const { store, clock, ids, links, settings } = deps;
  const scope = scopeOf(input.platform, input.tenant);
  const originKey = input.messageId ? `${input.platform}:${input.conversation.id}:${input.messageId}` : undefined;
  if (originKey) {
    const replayed = await store.requests.findByOriginKey(originKey);
    if (replayed) return alreadyCreated(deps, input, replayed);
  }

  const resellerLink = await links.resellerLink();
  const customerKey = normaliseCompanyName(customerName);
  // A name of only punctuation normalises to nothing: it is like no other name.
  const similar = customerKey ? (await store.requests.findByCustomerKey(scope, customerKey)).filter(isOpen) : [];
  const notes = similar.length
    ? [
        `Note: ${similar.map((r) => r.id).join(', ')} for the same customer ${similar.length === 1 ? 'is' : 'are'} still open.`,
      ]
    : [];
  const draft = composeDraft(settings.draftTemplate, {
    customerName,
    contactEmail,
    domain,
    partnerName: settings.partnerName,
    requesterName: input.user.name,
    resellerLink,
    gdapLink: '',
  });
  const at = clock.now().toISOString();

  for (let attempt = 1; ; attempt++) {
    const request: RelationshipRequest = {
      id: ids.requestId(),
      scope,
      customerName,
      customerKey,
      contactEmail,
      domain,
      ...(tenant && 'tenantId' in tenant ? { customerTenantId: tenant.tenantId } : tenant),
      requester: {
        platform: input.platform,
        id: input.user.id,
        name: input.user.name,
        aadObjectId: input.user.aadObjectId,
      },
      conversationId: input.conversation.id,
      draft,
      resellerLink,
      originKey,
      status: 'draft',
      adminAccess: 'not-requested',
      timeline: [
        {
          type: 'created',
          at,
          actor: { kind: 'user', platform: input.platform, id: input.user.id, name: input.user.name },
        },
      ],
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    try {
      await store.requests.insert(request);
      if (settings.gdap && deps.directory && input.cardFirst) return await firstCard(deps, request, notes);
      const withAccess = settings.gdap
        ? await requestAdminAccess(deps, request, request.timeline[0]?.actor ?? SYSTEM_ACTOR)
        : request;
      return card('request', requestCardModel(withAccess, notes), 'conversation');
    } catch (err) {
      if (!(err instanceof ConflictError && err.reason === 'duplicate')) throw err;
      // Either the same message raced us (same origin key) or the random id collided: look, then retry.
      if (originKey) {
        const replayed = await store.requests.findByOriginKey(originKey);
        if (replayed) return alreadyCreated(deps, input, replayed);
      }
      if (attempt >= MAX_ID_ATTEMPTS) throw err;
    }
  }
}

/**
 * The same message again (a platform's re-delivery, or a job run again after a crash): its request, not a new one.
 * A card that was posted is shown there again, in place; a card that never went out (the process died first) is
 * posted now, and admin access is still asked for if it was not.
 */
async function alreadyCreated(deps: CoreDeps, input: CommandInput, request: RelationshipRequest): Promise<Reply> {
  if (request.card) {
    return { ...card('request', requestCardModel(request), 'conversation'), existing: request.card };
  }
  const waiting = request.adminAccess === 'not-requested' && !request.adminAccessProblem;
  if (deps.settings.gdap && deps.directory && input.cardFirst && waiting) return firstCard(deps, request, []);
  return card('request', requestCardModel(request), 'conversation');
}
