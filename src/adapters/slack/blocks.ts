/**
 * Block Kit messages and modals: the templates in cards/slack/ expanded with adaptivecards-templating from the same
 * typed models the Teams cards use. Every user-provided string reaches a template already escaped for mrkdwn (or in
 * a plain_text object or an input's value, which Slack never reads as markup); templates are literal files and data
 * is never re-expanded, so `${…}` typed by a user stays text.
 */
import { cardTemplates } from '../card-templates.js';
import {
  notificationButtonFlags,
  type NotificationModel,
  type NotificationTone,
} from '../../core/notifications/model.js';
import type { Reply } from '../../core/replies.js';
import { clipChars } from '../../core/text.js';
import type { CardModels, RequestCardModel, StatusModel } from '../../core/views/models.js';
import type { ModalView } from '@slack/types';
import { chunkEscaped, escapeMrkdwn, linkTarget, TEXT_OBJECT_MAX } from './mrkdwn.js';

export type Block = Record<string, unknown> & { type: string };
/** What chat.postMessage / chat.update / response_url take: blocks plus the plain `text` fallback. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: Block[];
}

export const MESSAGE_BLOCKS_MAX = 50;
export const MODAL_BLOCKS_MAX = 100;
const HEADER_MAX = 150;
/** chat.postMessage's `text` is best kept under 4,000 characters. */
const FALLBACK_MAX = 3000;

const TEMPLATE_NAMES = [
  'request',
  'timeline',
  'request-form-modal',
  'edit-draft-modal',
  'set-tenant-modal',
  'loading-modal',
  'list',
  'help',
  'notification',
  'text',
] as const;
type TemplateName = (typeof TEMPLATE_NAMES)[number];

const template = cardTemplates<TemplateName>('slack', TEMPLATE_NAMES);

function expand(name: TemplateName, data: object): unknown {
  return dropEmptyInitialValues(template(name).expand({ $root: data }));
}

function expandBlocks(name: TemplateName, data: object): { blocks: Block[] } {
  return expand(name, data) as { blocks: Block[] };
}

function expandModal(name: TemplateName, data: object): ModalView {
  return expand(name, data) as ModalView;
}

/** Slack refuses `initial_value: ""`; an empty input simply has none. */
function dropEmptyInitialValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropEmptyInitialValues);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, v]) => !(key === 'initial_value' && v === ''))
        .map(([key, v]) => [key, dropEmptyInitialValues(v)]),
    );
  }
  return value;
}

const e = escapeMrkdwn;

function requestData(model: RequestCardModel) {
  const mailtoLine = model.mailtoIncludesBody
    ? `<${linkTarget(model.mailto)}|Open in email app> (the draft below, addressed to ${e(model.contactEmail)})`
    : `<${linkTarget(model.mailto)}|Open in email app> — the draft is too long for an email link: copy the text below into the email.`;
  return {
    requestId: model.requestId,
    headerText: clipChars(`Reseller relationship request — ${model.customerName}`, HEADER_MAX, true),
    facts: [
      { label: 'Request', value: model.requestId },
      { label: 'Customer', value: e(model.customerName) },
      { label: 'Contact', value: e(model.contactEmail) },
      { label: 'Domain', value: e(model.domain) },
      { label: 'Requested by', value: e(model.requestedBy) },
      { label: 'Created', value: e(model.createdAtText) },
      { label: 'Status', value: e(model.statusText) },
      { label: 'Admin access', value: e(model.adminAccessText) },
      ...(model.tenant && model.customerRecord.length === 0
        ? [{ label: 'Customer tenant', value: e(model.tenant) }]
        : []),
    ],
    notes: model.notes.map(e),
    hasNotes: model.notes.length > 0,
    // a section holds at most 10 fields: the customer's record has its own
    customerRecord: model.customerRecord.map((f) => ({ label: e(f.label), value: e(f.value) })),
    hasCustomerRecord: model.customerRecord.length > 0,
    customerLinksLine: model.customerLinks.map((l) => `<${linkTarget(l.url)}|${e(l.title)}>`).join('  ·  '),
    hasCustomerLinks: model.customerLinks.length > 0,
    resellerLink: linkTarget(model.resellerLink),
    gdapLink: linkTarget(model.gdapLink),
    hasGdapLink: model.hasGdapLink,
    subject: e(model.subject),
    bodyChunks: chunkEscaped(e(model.body)),
    // the saver's name is user text: escaped like the rest
    draftSavedText: e(model.draftSavedText),
    hasDraftSaved: model.draftSavedText !== '',
    mailtoLine,
    canSaveDraft: model.canSaveDraft,
    canMarkSent: model.canMarkSent,
    canCancel: model.canCancel,
    canRetryAdminAccess: model.canRetryAdminAccess,
    canRequestAdminAgain: model.canRequestAdminAgain,
    canEndAdminAccess: model.canEndAdminAccess,
    canSetTenant: model.canSetTenant,
    hasActions:
      model.canSaveDraft ||
      model.canMarkSent ||
      model.canCancel ||
      model.canRetryAdminAccess ||
      model.canRequestAdminAgain ||
      model.canEndAdminAccess ||
      model.canSetTenant,
    // A new block id per version: Slack asks for a fresh one whenever a message is updated.
    actionsBlockId: `actions:${model.requestId}:${model.version}`,
  };
}

export function requestMessage(model: RequestCardModel): SlackMessage {
  const { blocks } = expandBlocks('request', requestData(model));
  return {
    text: fallback(`Reseller relationship request ${model.requestId} for ${model.customerName}: ${model.statusText}`),
    blocks,
  };
}

/** The request with its timeline; the oldest lines give way when they would not fit one section. */
export function statusMessage(model: StatusModel): SlackMessage {
  const request = requestMessage(model.request);
  const lines = model.timeline.map((item) => `• ${e(item.atText)} — ${e(item.text)}`);
  let hidden = 0;
  while (lines.join('\n').length > TEXT_OBJECT_MAX - 20 && lines.length > 1) {
    lines.shift();
    hidden++;
  }
  const earlier = hidden === 0 ? model.earlier : `${model.earlier} ${hidden} more left out to fit the message.`.trim();
  const { blocks } = expandBlocks('timeline', {
    timelineText: lines.join('\n') || 'No events yet.',
    earlier: e(earlier),
    hasEarlier: earlier !== '',
  });
  // The timeline goes before the buttons, so they stay last.
  const actionsAt = request.blocks.findIndex((b) => b.type === 'actions');
  const at = actionsAt === -1 ? request.blocks.length : actionsAt;
  return { text: request.text, blocks: [...request.blocks.slice(0, at), ...blocks, ...request.blocks.slice(at)] };
}

export function listMessage(model: CardModels['list']): SlackMessage {
  const { blocks } = expandBlocks('list', {
    title: clipChars(model.title, HEADER_MAX, true),
    isEmpty: model.items.length === 0,
    emptyText: e(model.emptyText),
    items: model.items.map((item) => ({
      requestId: item.requestId,
      customerName: e(item.customerName),
      statusText: e(item.statusText),
      adminAccessText: e(item.adminAccessText),
      age: e(item.age),
    })),
    more: e(model.more),
    hasMore: model.more !== '',
  });
  return { text: fallback(model.title), blocks };
}

export function helpMessage(model: CardModels['help']): SlackMessage {
  const { blocks } = expandBlocks('help', {
    notice: e(model.notice),
    hasNotice: model.notice !== '',
    commands: model.commands.map((c) => ({ usage: `\`/relationship ${e(c.usage)}\``, summary: e(c.summary) })),
    examplesText: model.examples.map((x) => `\`/relationship ${e(x)}\``).join('\n'),
  });
  return { text: fallback(model.notice || 'Partner Relationship Bot help'), blocks };
}

/** Slack's limit on a button's text. */
const BUTTON_TEXT_MAX = 75;

/** Slack blocks have no colour: the header starts with a sign for the tone (docs/behaviour.md#notifications). */
export const NOTIFICATION_SIGNS: Readonly<Record<NotificationTone, string>> = {
  good: '✅',
  attention: '⚠️',
  bad: '🔴',
};

export function notificationMessage(model: NotificationModel): SlackMessage {
  const { blocks } = expandBlocks('notification', {
    title: clipChars(`${NOTIFICATION_SIGNS[model.tone]} ${model.title}`, HEADER_MAX, true),
    customerName: e(model.customerName),
    hasCustomer: model.customerName !== '',
    facts: model.facts.map((f) => ({ label: e(f.label), value: e(f.value) })),
    hasFacts: model.facts.length > 0,
    details: model.details.flatMap((d) => chunkEscaped(e(d))),
    supportReminder: e(model.supportReminder),
    hasSupportReminder: model.supportReminder !== '',
    atText: e(model.atText),
    // one block per button: a block's action ids must differ
    choices: (model.choices?.options ?? []).map((o, i) => ({
      blockId: `acceptance_${i}`,
      label: clipChars(o.label, BUTTON_TEXT_MAX, true),
      value: JSON.stringify({ tenantId: model.choices?.tenantId, requestId: o.requestId }),
    })),
    ...notificationButtonFlags(model),
    buttonsBlockId: `notice:${model.requestId}:${model.event}`,
  });
  const about = model.customerName ? `${model.title}: ${model.customerName}` : model.title;
  return { text: fallback(model.requestId ? `${about} (${model.requestId})` : about), blocks };
}

export function textMessage(text: string): SlackMessage {
  const { blocks } = expandBlocks('text', { chunks: chunkEscaped(e(text || ' ')) });
  return { text: fallback(text), blocks };
}

/** The request form as a modal; `privateMetadata` carries where to post the card. */
export function requestFormModal(model: CardModels['request-form'], privateMetadata: string): ModalView {
  const problems = [model.customerNameError, model.contactEmailError, model.domainError, model.tenantError].filter(
    (p) => p !== '',
  );
  return expandModal('request-form-modal', {
    privateMetadata,
    message: e(model.message),
    problems: problems.map(e),
    hasProblems: problems.length > 0,
    customerName: model.customerName,
    contactEmail: model.contactEmail,
    domain: model.domain,
    tenant: model.tenant,
  });
}

/** The customer's tenant, given after the fact; `privateMetadata` names the request and its card. */
export function setTenantModal(model: RequestCardModel, privateMetadata: string): ModalView {
  return expandModal('set-tenant-modal', {
    privateMetadata,
    requestId: model.requestId,
    customerName: e(model.customerName),
    tenant: model.tenant,
  });
}

/** The draft editor; `privateMetadata` names the request and its card. */
export function editDraftModal(model: RequestCardModel, privateMetadata: string): ModalView {
  return expandModal('edit-draft-modal', {
    privateMetadata,
    requestId: model.requestId,
    customerName: e(model.customerName),
    notes: model.notes.map(e),
    hasNotes: model.notes.length > 0,
    // a section holds at most 10 fields: the customer's record has its own
    customerRecord: model.customerRecord.map((f) => ({ label: e(f.label), value: e(f.value) })),
    hasCustomerRecord: model.customerRecord.length > 0,
    customerLinksLine: model.customerLinks.map((l) => `<${linkTarget(l.url)}|${e(l.title)}>`).join('  ·  '),
    hasCustomerLinks: model.customerLinks.length > 0,
    subject: model.subject,
    body: model.body,
  });
}

/** Opened at once with a click's trigger id (valid 3 s), then replaced with the real content. */
export function loadingModal(title: string, message: string): ModalView {
  return expandModal('loading-modal', { title, message });
}

/** The message for any core reply. */
export function replyMessage(reply: Reply): SlackMessage {
  if (reply.kind === 'text') return textMessage(reply.text);
  switch (reply.card) {
    case 'request':
      return requestMessage(reply.data);
    case 'status':
      return statusMessage(reply.data);
    case 'request-form':
      // Messages cannot hold inputs: the form opens as a modal from this button.
      return formInvitation(reply.data);
    case 'list':
      return listMessage(reply.data);
    case 'help':
      return helpMessage(reply.data);
  }
}

/** Where a modal cannot be opened right away (an @mention has no trigger id): a button that opens the form. */
export function formInvitation(model: CardModels['request-form']): SlackMessage {
  const lines = [
    model.message,
    model.customerNameError,
    model.contactEmailError,
    model.domainError,
    model.tenantError,
  ].filter(Boolean);
  const { blocks } = expandBlocks('text', { chunks: [e(lines.join('\n'))] });
  const typed = JSON.stringify({
    customerName: clipChars(model.customerName, 100),
    contactEmail: clipChars(model.contactEmail, 254),
    domain: clipChars(model.domain, 253),
    tenant: clipChars(model.tenant, 64),
  });
  blocks.push({
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: 'open_request_form',
        style: 'primary',
        text: { type: 'plain_text', text: 'Open the request form' },
        value: typed,
      },
    ],
  });
  return { text: fallback(model.message), blocks };
}

/** The top-level `text`: notifications and screen readers use it. Escaped like any mrkdwn. */
function fallback(text: string): string {
  return e(clipChars(text, FALLBACK_MAX, true));
}
