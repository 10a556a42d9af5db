/**
 * Request card buttons. Each click is acknowledged at once; the change is stored by the core (a double click finds
 * nothing left to change) and the card is updated in place for everyone. Refusals reach only the person who clicked.
 */
import type { BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { cancelRequest } from '../../core/actions/cancel-request.js';
import { loadForAction } from '../../core/actions/load.js';
import type { markSent } from '../../core/actions/mark-sent.js';
import type { retryAdminAccess } from '../../core/actions/retry-admin-access.js';
import { parseRequestId } from '../../core/requests/ids.js';
import { errorReply } from '../../core/replies.js';
import type { RelationshipRequest } from '../../core/model.js';
import { requestCardModel } from '../../core/views/request-view.js';
import { editDraftModal, loadingModal, requestFormModal, requestMessage, textMessage } from './blocks.js';
import { actionInput, interactor, modalMetadata } from './input.js';
import type { Client, SlackDeps } from './types.js';

export interface ActionArgs {
  body: BlockAction;
  action: ButtonAction;
  respond: RespondFn;
  client: Client;
}

function clickedCard(body: BlockAction): { channelId: string; ts: string } | undefined {
  const container = body.container as { channel_id?: unknown; message_ts?: unknown };
  const channelId = container.channel_id ?? body.channel?.id;
  const ts = container.message_ts ?? body.message?.ts;
  return typeof channelId === 'string' && typeof ts === 'string' ? { channelId, ts } : undefined;
}

async function refuse(respond: RespondFn, err: unknown): Promise<void> {
  const reply = errorReply(err);
  if (!reply) throw err;
  await respond({ response_type: 'ephemeral', replace_original: false, ...textMessage(reply.text) });
}

/** Edit draft: a modal opened at once (the trigger id lives 3 s), then filled with the stored draft. */
export async function onEditDraft(deps: SlackDeps, { body, action, respond, client }: ActionArgs): Promise<void> {
  const opened = await client.views.open({
    trigger_id: body.trigger_id,
    view: loadingModal('Edit draft', 'Loading the draft…'),
  });
  const viewId = opened.view?.id;
  try {
    const requestId = parseRequestId(action.value ?? '') ?? '';
    const request = await loadForAction(deps.core, actionInput(interactor(body), requestId));
    const card = clickedCard(body);
    const metadata = modalMetadata({
      channelId: card?.channelId ?? '',
      requestId: request.id,
      ts: card?.ts,
      version: request.version,
    });
    if (viewId)
      await client.views.update({ view_id: viewId, view: editDraftModal(requestCardModel(request), metadata) });
  } catch (err) {
    const reply = errorReply(err);
    if (!reply) throw err;
    if (viewId) await client.views.update({ view_id: viewId, view: loadingModal('Edit draft', reply.text) });
    else await refuse(respond, err);
  }
}

export async function onStatusButton(
  deps: SlackDeps,
  change: typeof markSent | typeof cancelRequest | typeof retryAdminAccess,
  { body, action, respond, client }: ActionArgs,
): Promise<void> {
  let result: { request: RelationshipRequest; changed: boolean };
  try {
    const requestId = parseRequestId(action.value ?? '') ?? '';
    result = await change(deps.core, actionInput(interactor(body), requestId));
  } catch (err) {
    await refuse(respond, err);
    return;
  }
  if (result.changed) await showToEveryone(deps, client, result.request, clickedCard(body));
}

/** The form, from the button under an @mention's answer (events carry no trigger id). */
export async function onOpenRequestForm(deps: SlackDeps, { body, action, client }: ActionArgs): Promise<void> {
  let typed: Record<string, unknown> = {};
  try {
    typed = JSON.parse(action.value ?? '{}') as Record<string, unknown>;
  } catch {
    deps.logger.info({}, 'request form button with an unreadable value; opening an empty form');
  }
  const field = (key: string) => (typeof typed[key] === 'string' ? typed[key] : '');
  const channelId = clickedCard(body)?.channelId ?? '';
  await client.views.open({
    trigger_id: body.trigger_id,
    view: requestFormModal(
      {
        customerName: field('customerName'),
        contactEmail: field('contactEmail'),
        domain: field('domain'),
        customerNameError: '',
        contactEmailError: '',
        domainError: '',
        message: 'Who should receive the reseller relationship invitation?',
        usage: '',
      },
      JSON.stringify({ channelId }),
    ),
  });
}

/**
 * Show the request's new state on the card that was clicked (or edited) and on its original card if that is another
 * message. The change is already stored: a failed update is logged, not reported as a failed action.
 */
export async function showToEveryone(
  deps: SlackDeps,
  client: Client,
  request: RelationshipRequest,
  clicked: { channelId: string; ts: string } | undefined,
): Promise<void> {
  try {
    if (clicked)
      await client.chat.update({
        channel: clicked.channelId,
        ts: clicked.ts,
        ...requestMessage(requestCardModel(request)),
      });
    if (request.card && request.card.messageId !== clicked?.ts) await deps.notifier.refreshCard(request);
  } catch (err) {
    deps.logger.warn({ err, requestId: request.id }, 'the request changed, but updating its card for everyone failed');
  }
}
