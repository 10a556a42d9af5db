/**
 * Adaptive Cards for Teams: the templates in cards/teams/ expanded with adaptivecards-templating from typed data.
 * Templates are literal files read once; data is never re-expanded, so `${…}` typed by a user stays text. Every
 * user-provided string lands in a RichTextBlock TextRun (no Markdown) or an input value; TextBlocks carry only the
 * bot's own words.
 */
import { CardFactory, type Activity } from 'botbuilder';
import { cardTemplates } from '../card-templates.js';
import {
  notificationButtonFlags,
  type NotificationModel,
  type NotificationTone,
} from '../../core/notifications/model.js';
import type { Reply, Tone } from '../../core/replies.js';
import type { CardModels, RequestCardModel, StatusModel } from '../../core/views/models.js';

export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; body: unknown[] };

/** Teams refuses bot messages past a size limit; the safe, documented budget is 28 KB. */
export const CARD_SIZE_LIMIT_BYTES = 28 * 1024;

const TEMPLATE_NAMES = ['request', 'timeline', 'request-form', 'list', 'help', 'notification', 'text'] as const;
type TemplateName = (typeof TEMPLATE_NAMES)[number];

const template = cardTemplates<TemplateName>('teams', TEMPLATE_NAMES);

function expand(name: TemplateName, data: object): AdaptiveCard {
  return template(name).expand({ $root: data }) as AdaptiveCard;
}

const TONE_COLORS: Readonly<Record<Tone, string>> = {
  info: 'Default',
  success: 'Good',
  warning: 'Warning',
  error: 'Attention',
};

export function requestCard(model: RequestCardModel): AdaptiveCard {
  return expand('request', {
    ...model,
    facts: [
      { label: 'Request', value: model.requestId },
      { label: 'Contact', value: model.contactEmail },
      { label: 'Domain', value: model.domain },
      { label: 'Requested by', value: model.requestedBy },
      { label: 'Created', value: model.createdAtText },
      { label: 'Status', value: model.statusText },
      { label: 'Admin access', value: model.adminAccessText },
      ...(model.tenant && model.customerRecord.length === 0 ? [{ label: 'Customer tenant', value: model.tenant }] : []),
      ...model.customerRecord,
    ],
    hasCustomerLinks: model.customerLinks.length > 0,
    hasDraftSaved: model.draftSavedText !== '',
  });
}

/** The request card with its timeline; the oldest rows give way when a long history would outgrow a message. */
export function statusCard(model: StatusModel): AdaptiveCard {
  const card = requestCard(model.request);
  let timeline = model.timeline;
  for (;;) {
    const hidden = model.timeline.length - timeline.length;
    const earlier =
      hidden === 0 ? model.earlier : `${model.earlier} ${hidden} more left out to fit the message.`.trim();
    const section = template('timeline').expand({ $root: { timeline, earlier, hasEarlier: earlier !== '' } }) as object;
    const full: AdaptiveCard = { ...card, body: [...card.body, section] };
    if (timeline.length === 0 || cardSizeBytes(full) <= CARD_SIZE_LIMIT_BYTES) return full;
    timeline = timeline.slice(1);
  }
}

/**
 * The request form. An invalid field sits in an "attention" container (a tinted box around the input and its problem,
 * which Teams and the playground both draw): the highlight the form's message refers to.
 */
export function requestFormCard(model: CardModels['request-form']): AdaptiveCard {
  return expand('request-form', {
    ...model,
    hasCustomerNameError: model.customerNameError !== '',
    hasContactEmailError: model.contactEmailError !== '',
    hasDomainError: model.domainError !== '',
    hasTenantError: model.tenantError !== '',
    customerNameStyle: fieldStyle(model.customerNameError),
    contactEmailStyle: fieldStyle(model.contactEmailError),
    domainStyle: fieldStyle(model.domainError),
    tenantStyle: fieldStyle(model.tenantError),
  });
}

function fieldStyle(error: string): 'attention' | 'default' {
  return error === '' ? 'default' : 'attention';
}

export function listCard(model: CardModels['list']): AdaptiveCard {
  return expand('list', { ...model, hasMore: model.more !== '' });
}

export function helpCard(model: CardModels['help']): AdaptiveCard {
  return expand('help', { ...model, hasNotice: model.notice !== '' });
}

/** Adaptive Card colours for the notification tones (docs/behaviour.md#notifications). */
export const NOTIFICATION_COLORS: Readonly<Record<NotificationTone, string>> = {
  good: 'Good',
  attention: 'Warning',
  bad: 'Attention',
};

export function notificationCard(model: NotificationModel): AdaptiveCard {
  return expand('notification', {
    ...model,
    color: NOTIFICATION_COLORS[model.tone],
    hasCustomer: model.customerName !== '',
    hasSupportReminder: model.supportReminder !== '',
    hasChoices: (model.choices?.options.length ?? 0) > 0,
    choices: (model.choices?.options ?? []).map((o) => ({
      label: o.label,
      tenantId: model.choices?.tenantId ?? '',
      requestId: o.requestId,
    })),
    ...notificationButtonFlags(model),
  });
}

export function textCard(text: string, tone: Tone): AdaptiveCard {
  return expand('text', { lines: text.split('\n'), color: TONE_COLORS[tone] });
}

/** The card for any core reply (text replies become a small card too: plain Teams text would render Markdown). */
export function replyCard(reply: Reply): AdaptiveCard {
  if (reply.kind === 'text') return textCard(reply.text, reply.tone);
  switch (reply.card) {
    case 'request':
      return requestCard(reply.data);
    case 'status':
      return statusCard(reply.data);
    case 'request-form':
      return requestFormCard(reply.data);
    case 'list':
      return listCard(reply.data);
    case 'help':
      return helpCard(reply.data);
  }
}

/** One line for notifications and screen readers: what the card is about, in plain words. */
export function replySummary(reply: Reply): string {
  if (reply.kind === 'text') return reply.text.split('\n')[0] ?? '';
  switch (reply.card) {
    case 'request':
      return `Reseller relationship request ${reply.data.requestId} for ${reply.data.customerName}`;
    case 'status':
      return `Request ${reply.data.request.requestId} for ${reply.data.request.customerName}`;
    case 'request-form':
      return 'Request a reseller relationship';
    case 'list':
      return reply.data.title;
    case 'help':
      return 'Partner Relationship Bot help';
  }
}

export function cardSizeBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/** A reply as a message activity: its card, and a summary for notifications and previews. */
export function messageActivity(reply: Reply): Partial<Activity> {
  return { type: 'message', summary: replySummary(reply), attachments: [CardFactory.adaptiveCard(replyCard(reply))] };
}
