/**
 * Universal Actions (`adaptiveCard/action` invokes) from request cards and the request form. The clicker gets the
 * updated card in the invoke response (HTTP 200); everyone else sees it because the card's message is updated too.
 * Refusals come back as an error response with the reason, and change nothing.
 *
 * botbuilder's own handler is bypassed: it answers errors with the error's status as the HTTP status (Universal
 * Actions expect 200 with the status in the body) and throws on an invoke value without `action`.
 */
import { CardFactory, type InvokeResponse, type TurnContext } from 'botbuilder';
import { findRequest } from '../../core/actions/load.js';
import { cancelRequest } from '../../core/actions/cancel-request.js';
import { attachCard } from '../../core/actions/attach-card.js';
import { linkAcceptance } from '../../core/actions/link-acceptance.js';
import { markSent } from '../../core/actions/mark-sent.js';
import { requestAdminAgain } from '../../core/actions/request-admin-again.js';
import { retryAdminAccess } from '../../core/actions/retry-admin-access.js';
import { terminateAdminAccess } from '../../core/actions/terminate-admin-access.js';
import { saveDraft } from '../../core/actions/save-draft.js';
import { setTenant } from '../../core/actions/set-tenant.js';
import { submitRequestForm } from '../../core/actions/submit-request-form.js';
import { checkWorkspace } from '../../core/access.js';
import type { CommandInput } from '../../core/commands/types.js';
import {
  NotFoundError,
  PermissionError,
  StorageUnavailableError,
  UpstreamError,
  ValidationError,
} from '../../core/errors.js';
import type { RelationshipRequest } from '../../core/model.js';
import { errorReply } from '../../core/replies.js';
import { parseRequestId } from '../../core/requests/ids.js';
import { requestCardModel } from '../../core/views/request-view.js';
import { acceptanceNotification } from '../../core/watch/acceptances.js';
import { toActionInput, toCommandInput } from './activity-input.js';
import { notificationCard, replyCard, requestCard, type AdaptiveCard } from './cards.js';
import type { TeamsDeps } from './types.js';

/** One handler per `Action.Execute` verb of the cards in `cards/teams/` (a test checks every verb there is here). */
type VerbHandler = (
  context: TurnContext,
  deps: TeamsDeps,
  input: CommandInput,
  data: Record<string, unknown>,
) => Promise<AdaptiveCard>;

export const VERB_HANDLERS: Readonly<Record<string, VerbHandler>> = {
  saveDraft: (context, deps, input, data) =>
    changed(context, deps, () =>
      saveDraft(deps.core, {
        ...toActionInput(input, requestIdOf(data)),
        body: text(data, 'draftBody') ?? '',
        subject: text(data, 'draftSubject'),
        editedVersion: versionOf(data),
      }),
    ),
  markSent: (context, deps, input, data) =>
    changed(context, deps, () => markSent(deps.core, toActionInput(input, requestIdOf(data)))),
  cancel: (context, deps, input, data) =>
    changed(context, deps, () => cancelRequest(deps.core, toActionInput(input, requestIdOf(data)))),
  setTenant: (context, deps, input, data) =>
    changed(context, deps, () =>
      setTenant(deps.core, { ...toActionInput(input, requestIdOf(data)), customerTenant: text(data, 'tenant') ?? '' }),
    ),
  retryAdminAccess: (context, deps, input, data) =>
    changed(context, deps, () => retryAdminAccess(deps.core, toActionInput(input, requestIdOf(data)))),
  requestAdminAgain: (context, deps, input, data) =>
    changed(context, deps, () => requestAdminAgain(deps.core, toActionInput(input, requestIdOf(data))), data),
  terminateAdminAccess: (context, deps, input, data) =>
    changed(context, deps, () => terminateAdminAccess(deps.core, toActionInput(input, requestIdOf(data))), data),
  refresh: async (_context, deps, input, data) => {
    const where = toActionInput(input, requestIdOf(data));
    const request = await findRequest(deps.core, where);
    if (!request) throw new NotFoundError(`There is no request ${where.requestId} in this workspace.`);
    return requestCard(requestCardModel(request));
  },
  createRequest: submitForm,
  linkAcceptance: async (_context, deps, input, data) => {
    const tenantId = text(data, 'tenantId');
    if (!tenantId) throw new ValidationError('The card does not name a customer.');
    const requestId = parseRequestId(text(data, 'requestId') ?? '') ?? '';
    const { acceptance } = await linkAcceptance(deps.core, { ...toActionInput(input, requestId), tenantId });
    return notificationCard(acceptanceNotification(acceptance));
  },
};

export async function onCardAction(context: TurnContext, deps: TeamsDeps): Promise<InvokeResponse> {
  try {
    const { handler, data } = readAction(context.activity.value);
    const input = toCommandInput(context.activity, context.activity.replyToId);
    if (!input) throw new ValidationError('This card action came without a tenant, user or conversation.');
    checkWorkspace(deps.core.settings.access, 'teams', input.tenant);
    return cardResponse(await handler(context, deps, input, data));
  } catch (err) {
    return errorResponse(err, deps);
  }
}

/** Teams merges the card's inputs into `action.data`; some clients send no `verb`, so `data.action` names it too. */
function readAction(value: unknown): { handler: VerbHandler; data: Record<string, unknown> } {
  const action = (value as { action?: unknown } | null | undefined)?.action as
    { type?: unknown; verb?: unknown; data?: unknown } | undefined;
  if (!action || typeof action !== 'object') throw new ValidationError('The card action is missing.');
  if (typeof action.type !== 'string') throw new ValidationError('The card action has no type.');
  if (action.type !== 'Action.Execute')
    throw new ValidationError(`The card action type ${action.type} is not supported.`);
  const data = action.data && typeof action.data === 'object' ? (action.data as Record<string, unknown>) : {};
  const verb = typeof action.verb === 'string' && action.verb ? action.verb : data['action'];
  const handler = typeof verb === 'string' && Object.hasOwn(VERB_HANDLERS, verb) ? VERB_HANDLERS[verb] : undefined;
  if (!handler) {
    throw new ValidationError(`This card button (${typeof verb === 'string' ? verb : 'no verb'}) is not supported.`);
  }
  return { handler, data };
}

function text(data: Record<string, unknown>, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' ? value : undefined;
}

function requestIdOf(data: Record<string, unknown>): string {
  const id = parseRequestId(text(data, 'requestId') ?? '');
  if (!id) throw new ValidationError('The card does not name a request.');
  return id;
}

/** The request version the card was drawn from (cards drawn before versions were carried have none). */
function versionOf(data: Record<string, unknown>): number | undefined {
  const value = Number(data['draftVersion']);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/**
 * A card action that changes the request: answer with the new card — with the action's notices, for the person who
 * clicked — and show it to everyone when it changed. A button under a notification leaves the notification as it is
 * for everyone else; the request's own card changes.
 */
async function changed(
  context: TurnContext,
  deps: TeamsDeps,
  change: () => Promise<{
    request: RelationshipRequest;
    changed: boolean;
    notices?: readonly string[];
    said?: string;
  }>,
  data: Record<string, unknown> = {},
): Promise<AdaptiveCard> {
  const result = await change();
  const fromNotification = data['from'] === 'notification';
  const card = requestCard(requestCardModel(result.request));
  if (result.changed) await showToEveryone(context, deps, result.request, card, !fromNotification);
  const notices = [...(result.notices ?? []), ...(result.said ? [result.said] : [])];
  return notices.length ? requestCard(requestCardModel(result.request, notices)) : card;
}

/** The request form submitted: on success the form turns into the request card, for everyone. */
async function submitForm(
  context: TurnContext,
  deps: TeamsDeps,
  input: CommandInput,
  data: Record<string, unknown>,
): Promise<AdaptiveCard> {
  const reply = await submitRequestForm(deps.core, input, {
    customerName: text(data, 'customerName') ?? '',
    contactEmail: text(data, 'contactEmail') ?? '',
    domain: text(data, 'domain') ?? '',
    tenant: text(data, 'tenant') ?? '',
  });
  if (reply.kind === 'text') throw new ValidationError(reply.text);
  const card = replyCard(reply);
  const formId = context.activity.replyToId;
  if (reply.card === 'request' && formId) {
    await context.updateActivity({ type: 'message', id: formId, attachments: [CardFactory.adaptiveCard(card)] });
    await attachCard(deps.core, reply.data.requestId, {
      platform: 'teams',
      conversationId: context.activity.conversation.id,
      messageId: formId,
    });
  }
  return card;
}

/**
 * Replace the clicked message for everyone, and the request's original card when the click came from another copy
 * (a status re-post). The change is already stored: a failed update is logged, not reported as a failed action.
 */
async function showToEveryone(
  context: TurnContext,
  deps: TeamsDeps,
  request: RelationshipRequest,
  card: AdaptiveCard,
  replaceClicked: boolean,
): Promise<void> {
  const clicked = replaceClicked ? context.activity.replyToId : undefined;
  try {
    if (clicked)
      await context.updateActivity({ type: 'message', id: clicked, attachments: [CardFactory.adaptiveCard(card)] });
    if (request.card && request.card.messageId !== clicked) await deps.notifier.refreshCard(request);
  } catch (err) {
    deps.logger.warn({ err, requestId: request.id }, 'the request changed, but updating its card for everyone failed');
  }
}

function cardResponse(card: AdaptiveCard): InvokeResponse {
  return {
    status: 200,
    body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card },
  };
}

/** Universal Actions error shape, with HTTP 200: the invoke itself was handled. */
function errorResponse(err: unknown, deps: TeamsDeps): InvokeResponse {
  const reply = errorReply(err);
  if (!reply) deps.logger.error({ err }, 'Teams card action failed');
  const statusCode = err instanceof PermissionError ? 403 : err instanceof UpstreamError || !reply ? 500 : 400;
  const code =
    err instanceof StorageUnavailableError
      ? 'StorageUnavailable'
      : err instanceof PermissionError
        ? 'Forbidden'
        : statusCode === 500
          ? 'ServiceError'
          : 'BadRequest';
  return {
    status: 200,
    body: {
      statusCode,
      type: 'application/vnd.microsoft.error',
      value: {
        code,
        message: reply?.text ?? 'Something went wrong on our side; it has been logged. Please try again.',
      },
    },
  };
}
