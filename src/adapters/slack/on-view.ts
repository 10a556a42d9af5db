/**
 * Modal submissions, validated before the acknowledgement: problems go back as `response_action: errors` keyed by
 * block id (the modal stays open, nothing is stored); success closes the modal and updates or posts the card.
 */
import type { AckFn, ViewSubmitAction, ViewResponseAction } from '@slack/bolt';
import { saveDraft } from '../../core/actions/save-draft.js';
import { submitRequestForm } from '../../core/actions/submit-request-form.js';
import { errorReply } from '../../core/replies.js';
import { requestCardModel } from '../../core/views/request-view.js';
import { editDraftModal } from './blocks.js';
import { actionInput, commandInput, interactor, modalMetadata, readModalContext } from './input.js';
import { showToEveryone } from './on-action.js';
import { postReply } from './post.js';
import type { Client, SlackDeps } from './types.js';

export interface ViewArgs {
  body: ViewSubmitAction;
  ack: AckFn<ViewResponseAction>;
  client: Client;
}

function value(body: ViewSubmitAction, blockId: string): string {
  const state = body.view.state.values[blockId]?.['value'];
  return typeof state?.value === 'string' ? state.value : '';
}

function refusal(err: unknown): string {
  const reply = errorReply(err);
  if (!reply) throw err;
  return reply.text;
}

export async function onEditDraftSubmitted(deps: SlackDeps, { body, ack, client }: ViewArgs): Promise<void> {
  const context = readModalContext(body.view.private_metadata);
  if (!context?.requestId) {
    await ack({
      response_action: 'errors',
      errors: { draft_body: 'This form lost track of its request; open it again from the card.' },
    });
    return;
  }
  let result;
  try {
    result = await saveDraft(deps.core, {
      ...actionInput(interactor(body), context.requestId),
      subject: value(body, 'draft_subject'),
      body: value(body, 'draft_body'),
      editedVersion: context.version,
    });
  } catch (err) {
    const message = refusal(err);
    await ack({
      response_action: 'errors',
      errors: { [/subject/i.test(message) ? 'draft_subject' : 'draft_body']: message },
    });
    return;
  }
  if (result.notices.length > 0) {
    // a link was added to what they typed: the modal stays open, showing the saved draft with it and why
    await ack({
      response_action: 'update',
      view: editDraftModal(
        requestCardModel(result.request, result.notices),
        modalMetadata({ ...context, version: result.request.version }),
      ),
    });
  } else await ack();
  if (result.changed) {
    const clicked = context.channelId && context.ts ? { channelId: context.channelId, ts: context.ts } : undefined;
    await showToEveryone(deps, client, result.request, clicked);
  }
}

const FORM_BLOCKS = {
  customerNameError: 'customer_name',
  contactEmailError: 'contact_email',
  domainError: 'domain',
} as const;

export async function onRequestFormSubmitted(deps: SlackDeps, { body, ack, client }: ViewArgs): Promise<void> {
  const context = readModalContext(body.view.private_metadata);
  const person = interactor(body);
  const channelId = context?.channelId ?? '';
  // The view id names this form: submitting it twice makes one request.
  const input = commandInput({ ...person, channelId }, '', body.view.id);
  let reply;
  try {
    reply = await submitRequestForm(deps.core, input, {
      customerName: value(body, 'customer_name'),
      contactEmail: value(body, 'contact_email'),
      domain: value(body, 'domain'),
    });
  } catch (err) {
    await ack({ response_action: 'errors', errors: { customer_name: refusal(err) } });
    return;
  }
  if (reply.kind === 'card' && reply.card === 'request-form') {
    const errors: Record<string, string> = {};
    for (const [field, blockId] of Object.entries(FORM_BLOCKS)) {
      const problem = reply.data[field as keyof typeof FORM_BLOCKS];
      if (problem) errors[blockId] = problem;
    }
    if (Object.keys(errors).length === 0) errors['customer_name'] = reply.data.message;
    await ack({ response_action: 'errors', errors });
    return;
  }
  if (reply.kind === 'text') {
    // "This form already created …" (a repeated submission) closes quietly; anything else keeps the form open.
    await (reply.tone === 'info' ? ack() : ack({ response_action: 'errors', errors: { customer_name: reply.text } }));
    return;
  }
  await ack();
  await postReply(deps, client, { channelId, userId: person.userId }, reply);
}
