/**
 * Modal submissions, checked before the acknowledgement: problems go back as `response_action: errors` keyed by block
 * id (the modal stays open, nothing is stored). What happens after the acknowledgement is a job stored before it:
 * the edited card's update, or the request the form asked for.
 */
import type { AckFn, ViewSubmitAction, ViewResponseAction } from '@slack/bolt';
import { checkRequester, checkWorkspace } from '../../core/access.js';
import { saveDraft } from '../../core/actions/save-draft.js';
import { setTenant } from '../../core/actions/set-tenant.js';
import { formArgs } from '../../core/actions/submit-request-form.js';
import { checkRequestArgs } from '../../core/commands/request.js';
import { newJob } from '../../core/outbox/types.js';
import { errorReply } from '../../core/replies.js';
import { requestCardModel } from '../../core/views/request-view.js';
import { editDraftModal } from './blocks.js';
import { actionInput, commandInput, interactor, modalMetadata, readModalContext } from './input.js';
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

/** The tenant from the card's modal: stored before the acknowledgement, the card updated by a job stored with it. */
export async function onSetTenantSubmitted(deps: SlackDeps, { body, ack }: ViewArgs): Promise<void> {
  const context = readModalContext(body.view.private_metadata);
  if (!context?.requestId) {
    await ack({
      response_action: 'errors',
      errors: { tenant: 'This form lost track of its request; open it again from the card.' },
    });
    return;
  }
  try {
    const result = await setTenant(deps.core, {
      ...actionInput(interactor(body), context.requestId),
      customerTenant: value(body, 'tenant'),
    });
    if (result.changed) {
      const also =
        context.channelId && context.ts
          ? { platform: 'slack' as const, conversationId: context.channelId, messageId: context.ts }
          : undefined;
      await deps.submit([
        newJob(
          'card',
          `slack-tenant:${body.view.id}:${result.request.version}`,
          { requestId: result.request.id, also },
          deps.core.clock.now(),
        ),
      ]);
    }
  } catch (err) {
    await ack({ response_action: 'errors', errors: { tenant: refusal(err) } });
    return;
  }
  await ack();
}

export async function onEditDraftSubmitted(deps: SlackDeps, { body, ack }: ViewArgs): Promise<void> {
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
    if (result.changed) {
      // the card, and the copy whose Edit draft was clicked, show the new draft: a job, stored before the answer
      const also = context.channelId && context.ts ? { channelId: context.channelId, ts: context.ts } : undefined;
      await deps.submit([
        newJob(
          'card',
          `slack-draft:${body.view.id}:${result.request.version}`,
          {
            requestId: result.request.id,
            also: also && { platform: 'slack', conversationId: also.channelId, messageId: also.ts },
          },
          deps.core.clock.now(),
        ),
      ]);
    }
  } catch (err) {
    const message = refusal(err);
    await ack({
      response_action: 'errors',
      errors: { [/subject/i.test(message) ? 'draft_subject' : 'draft_body']: message },
    });
    return;
  }
  if (result.notices.length === 0) {
    await ack();
    return;
  }
  // a link was added to what they typed: the modal stays open, showing the saved draft with it and why
  await ack({
    response_action: 'update',
    view: editDraftModal(
      requestCardModel(result.request, result.notices),
      modalMetadata({ ...context, version: result.request.version }),
    ),
  });
}

const FORM_BLOCKS = {
  customerNameError: 'customer_name',
  contactEmailError: 'contact_email',
  domainError: 'domain',
  tenantError: 'tenant',
} as const;

export async function onRequestFormSubmitted(deps: SlackDeps, { body, ack }: ViewArgs): Promise<void> {
  const context = readModalContext(body.view.private_metadata);
  const person = interactor(body);
  const channelId = context?.channelId ?? '';
  const form = {
    customerName: value(body, 'customer_name'),
    contactEmail: value(body, 'contact_email'),
    domain: value(body, 'domain'),
    tenant: value(body, 'tenant'),
  };
  const checked = checkRequestArgs(formArgs(form));
  if (!checked.ok) {
    const errors: Record<string, string> = {};
    for (const [field, blockId] of Object.entries(FORM_BLOCKS)) {
      const problem = checked.form[field as keyof typeof FORM_BLOCKS];
      if (problem) errors[blockId] = problem;
    }
    if (Object.keys(errors).length === 0) errors['customer_name'] = checked.form.message;
    await ack({ response_action: 'errors', errors });
    return;
  }
  // The view id names this form: submitting it twice stores one job, which makes one request.
  const input = commandInput({ ...person, channelId }, '', body.view.id);
  try {
    checkWorkspace(deps.core.settings.access, 'slack', input.tenant);
    checkRequester(deps.core.settings.access, input.user);
    const job = newJob(
      'command',
      `slack-form:${body.view.id}`,
      { input, form, replyTo: { platform: 'slack', conversationId: channelId, userId: person.userId } },
      deps.core.clock.now(),
    );
    await deps.submit([job]);
    deps.intake.accepted(job.key);
  } catch (err) {
    await ack({ response_action: 'errors', errors: { customer_name: refusal(err) } });
    return;
  }
  await ack();
}
