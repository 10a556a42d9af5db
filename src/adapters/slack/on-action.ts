/**
 * Request card buttons. Mark as sent, Cancel and Retry admin access are recorded as jobs before the click is
 * acknowledged (the change is decided by the job against the stored request, so a double click changes nothing the
 * second time); refusals reach only the person who clicked. Edit draft and the form button open a modal with the
 * click's trigger id (valid 3 s) before the acknowledgement.
 */
import type { AckFn, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { CardAction } from '../../core/actions/card-action-job.js';
import { loadForAction } from '../../core/actions/load.js';
import { newJob } from '../../core/outbox/types.js';
import { parseRequestId } from '../../core/requests/ids.js';
import { errorReply } from '../../core/replies.js';
import { requestCardModel } from '../../core/views/request-view.js';
import { editDraftModal, loadingModal, requestFormModal, setTenantModal, textMessage } from './blocks.js';
import { actionInput, interactor, modalMetadata } from './input.js';
import { BUSY } from './on-command.js';
import type { Client, SlackDeps } from './types.js';

export interface ActionArgs {
  body: BlockAction;
  action: ButtonAction;
  ack: AckFn<void>;
  respond: RespondFn;
  client: Client;
}

export function clickedCard(body: BlockAction): { channelId: string; ts: string } | undefined {
  const container = body.container as { channel_id?: unknown; message_ts?: unknown };
  const channelId = container.channel_id ?? body.channel?.id;
  const ts = container.message_ts ?? body.message?.ts;
  return typeof channelId === 'string' && typeof ts === 'string' ? { channelId, ts } : undefined;
}

/** Edit draft: the modal with the stored draft, opened before the acknowledgement (the trigger id lives 3 s). */
export async function onEditDraft(deps: SlackDeps, { body, action, ack, client }: ActionArgs): Promise<void> {
  let view;
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
    view = editDraftModal(requestCardModel(request), metadata);
  } catch (err) {
    const reply = errorReply(err);
    if (!reply) throw err;
    view = loadingModal('Edit draft', reply.text);
  }
  await client.views.open({ trigger_id: body.trigger_id, view });
  await ack();
}

/** Customer tenant…: a small modal, opened before the acknowledgement (the trigger id lives 3 s). */
export async function onSetTenant(deps: SlackDeps, { body, action, ack, client }: ActionArgs): Promise<void> {
  let view;
  try {
    const requestId = parseRequestId(action.value ?? '') ?? '';
    const request = await loadForAction(deps.core, actionInput(interactor(body), requestId));
    const card = clickedCard(body);
    view = setTenantModal(
      requestCardModel(request),
      modalMetadata({ channelId: card?.channelId ?? '', requestId: request.id, ts: card?.ts }),
    );
  } catch (err) {
    const reply = errorReply(err);
    if (!reply) throw err;
    view = loadingModal('Customer tenant', reply.text);
  }
  await client.views.open({ trigger_id: body.trigger_id, view });
  await ack();
}

/**
 * Mark as sent, Cancel, Retry admin access, Request admin access again, End admin access: a `card-action` job, stored
 * before the acknowledgement. From a request card (or a copy of it), the clicked message shows the result; from a
 * notification, the notification stays and the request's own card changes.
 */
export function onStatusButton(cardAction: CardAction, from: 'card' | 'notification' = 'card') {
  return async (deps: SlackDeps, { body, action, ack, respond }: ActionArgs): Promise<void> => {
    if (deps.intake.full) {
      deps.intake.noteRefused();
      await ack();
      await respond({ response_type: 'ephemeral', replace_original: false, ...textMessage(BUSY) });
      return;
    }
    const clicked = clickedCard(body);
    const job = newJob(
      'card-action',
      `slack:${body.trigger_id}`,
      {
        action: cardAction,
        input: actionInput(interactor(body), parseRequestId(action.value ?? '') ?? ''),
        replyTo: {
          platform: 'slack',
          conversationId: clicked?.channelId ?? body.channel?.id ?? '',
          userId: body.user.id,
          responseUrl: body.response_url,
        },
        clicked: from === 'card' ? clicked?.ts : undefined,
      },
      deps.core.clock.now(),
    );
    try {
      await deps.submit([job]);
    } catch (err) {
      const reply = errorReply(err);
      if (!reply) throw err;
      await ack();
      await respond({ response_type: 'ephemeral', replace_original: false, ...textMessage(reply.text) });
      return;
    }
    deps.intake.accepted(job.key);
    await ack();
  };
}

/** The form, from the button under an @mention's answer (events carry no trigger id). */
export async function onOpenRequestForm(deps: SlackDeps, { body, action, ack, client }: ActionArgs): Promise<void> {
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
        tenant: field('tenant'),
        customerNameError: '',
        contactEmailError: '',
        domainError: '',
        tenantError: '',
        message: 'Who should receive the reseller relationship invitation?',
        usage: '',
      },
      JSON.stringify({ channelId }),
    ),
  });
  await ack();
}

/**
 * "This is RR-… — Northwind" / "None of these" under an acceptance the bot could not decide: an `acceptance-link` job,
 * stored before the acknowledgement; the notification and the request's card change in place when it ran.
 */
export async function onLinkAcceptance(deps: SlackDeps, { body, action, ack, respond }: ActionArgs): Promise<void> {
  let chosen: Record<string, unknown> = {};
  try {
    chosen = JSON.parse(action.value ?? '{}') as Record<string, unknown>;
  } catch {
    // answered below as a button that names nothing
  }
  const tenantId = typeof chosen['tenantId'] === 'string' ? chosen['tenantId'] : '';
  const requestId = typeof chosen['requestId'] === 'string' ? (parseRequestId(chosen['requestId']) ?? '') : '';
  if (!tenantId) {
    await ack();
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      ...textMessage('This button names no customer.'),
    });
    return;
  }
  const clicked = clickedCard(body);
  const job = newJob(
    'acceptance-link',
    `slack:${body.trigger_id}`,
    {
      input: { ...actionInput(interactor(body), requestId), tenantId },
      replyTo: {
        platform: 'slack',
        conversationId: clicked?.channelId ?? body.channel?.id ?? '',
        userId: body.user.id,
        responseUrl: body.response_url,
      },
    },
    deps.core.clock.now(),
  );
  try {
    await deps.submit([job]);
  } catch (err) {
    const reply = errorReply(err);
    if (!reply) throw err;
    await ack();
    await respond({ response_type: 'ephemeral', replace_original: false, ...textMessage(reply.text) });
    return;
  }
  deps.intake.accepted(job.key);
  await ack();
}
