// @ts-check
/**
 * The playground page: talks to the bot as Teams would. What the user types becomes a Bot Framework message activity
 * POSTed to /api/messages with this server's playground connector as serviceUrl; the bot's posts and card updates
 * come back through /playground/events; cards are rendered by the official Adaptive Cards renderer (AdaptiveApplet),
 * whose Action.Execute clicks become adaptiveCard/action invokes. The customer panel calls the emulator's control
 * endpoints.
 */

/**
 * @typedef {{ contentType: string, content: unknown }} Attachment
 * @typedef {{
 *   id: string, conversationId: string, from: { id: string, name: string, role: 'bot' | 'user' },
 *   text?: string, attachments: Attachment[], replyToId?: string, timestamp: string, updatedAt?: string
 * }} Message
 * @typedef {{ id: string, name: string }} Named
 * @typedef {{
 *   tenantId: string, user: Named & { aadObjectId: string }, bot: Named, chat: Named, team: Named, channel: Named,
 *   serviceUrl: string, channelSubscribed: boolean
 * }} Config
 * @typedef {{
 *   id: string, customerName: string, domain: string, status: string, adminAccess: string,
 *   gdapRelationshipId: string | null, customerTenantId: string | null
 * }} RequestSummary
 * @typedef {{ statusCode?: number, type?: string, value?: unknown, message?: string }} Answer
 *   what the bot, the emulator or the playground answered (error answers carry `message`)
 * @typedef {{ ok: boolean, text: string }} InvokeResult
 */

const AC = AdaptiveCards;
const CARD = 'application/vnd.microsoft.card.adaptive';

// Card updates arrive from the bot itself (the connector), so the renderer's own refresh is not needed.
AC.GlobalSettings.applets.refresh.mode = AC.RefreshMode.Disabled;
AC.GlobalSettings.applets.logEnabled = false;
// The bot's cards carry plain text (user text is never markup); say so, instead of the renderer warning each time.
AC.AdaptiveCard.onProcessMarkdown = (
  /** @type {string} */ _text,
  /** @type {import('adaptivecards').IMarkdownProcessingResult} */ result,
) => {
  result.didProcess = false;
};

const TEXT_COLORS = { default: { default: '#242424', subtle: '#616161' } };
const hostConfig = new AC.HostConfig({
  fontFamily: "'Segoe UI', system-ui, -apple-system, sans-serif",
  containerStyles: {
    default: { backgroundColor: '#FFFFFF', foregroundColors: TEXT_COLORS },
    emphasis: { backgroundColor: '#F5F5F5', foregroundColors: TEXT_COLORS },
    // the request form's invalid fields (cards/teams/request-form.json): a tint, as Teams draws an attention container
    attention: { backgroundColor: '#FCEBED', foregroundColors: TEXT_COLORS },
  },
  // Titles may wrap and the row of buttons wraps (app.css), so no button is ever cut at the card's edge. The space
  // between buttons is the stylesheet's `gap`: the renderer's spacers would indent a wrapped row.
  actions: { actionsOrientation: 'horizontal', buttonSpacing: 0, maxActions: 6, allowTitleToWrap: true },
});

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element;
}

/**
 * @param {string} className
 * @param {string} text
 */
function block(className, text) {
  const element = document.createElement('div');
  element.className = className;
  element.textContent = text; // never markup: user and bot text alike
  return element;
}

/**
 * @param {string} text
 * @returns {unknown}
 */
function parse(text) {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return { message: text };
  }
}

/**
 * @param {string} url
 * @param {unknown} [body]
 * @returns {Promise<{ status: number, body: unknown }>}
 */
async function call(url, body) {
  const response = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: parse(await response.text()) };
}

/**
 * An answer's error message, whatever answered.
 * @param {unknown} body
 */
function messageOf(body) {
  const message = /** @type {Answer | undefined} */ (body)?.message;
  return typeof message === 'string' ? message : 'no details';
}

/** Teams message ids are digits. */
function newId() {
  return `${Date.now()}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
}

/** @param {string} iso */
function time(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

const config = /** @type {Config} */ ((await call('/playground/config')).body);
const panes = new Map([
  [config.chat.id, byId('chat-messages')],
  [config.channel.id, byId('channel-messages')],
]);
/** @type {Map<string, InvokeResult>} what each card's last button click answered, kept across re-renders */
const invokeResults = new Map();

/**
 * The activity fields Teams sets for a conversation: the personal chat, or a new post in the channel.
 * @param {string} conversationId
 * @param {string} threadId
 */
function where(conversationId, threadId) {
  const tenant = { id: config.tenantId };
  if (conversationId === config.chat.id) {
    return {
      conversation: { id: config.chat.id, conversationType: 'personal', tenantId: config.tenantId },
      channelData: { tenant },
    };
  }
  return {
    conversation: {
      id: `${config.channel.id};messageid=${threadId}`,
      isGroup: true,
      conversationType: 'channel',
      tenantId: config.tenantId,
    },
    channelData: {
      teamsChannelId: config.channel.id,
      teamsTeamId: config.team.id,
      channel: { id: config.channel.id, name: config.channel.name },
      team: { id: config.team.id, name: config.team.name },
      tenant,
    },
  };
}

/**
 * @param {string} type
 * @param {string} conversationId
 * @param {string} id
 * @param {string} threadId
 */
function activity(type, conversationId, id, threadId) {
  const now = new Date();
  return {
    type,
    id,
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString(),
    serviceUrl: config.serviceUrl,
    channelId: 'msteams',
    from: { id: config.user.id, name: config.user.name, aadObjectId: config.user.aadObjectId },
    recipient: { id: config.bot.id, name: config.bot.name },
    locale: navigator.language || 'en-GB',
    ...where(conversationId, threadId),
  };
}

/**
 * POST an activity to the bot; its posts come back through the event stream, an invoke's answer in the response.
 * @param {object} body
 */
function toBot(body) {
  return call('/api/messages', body);
}

/**
 * A local note in a pane (not part of the conversation), for answers the bot gave over HTTP instead of a post.
 * @param {string} conversationId
 * @param {string} text
 */
function note(conversationId, text) {
  const item = document.createElement('li');
  item.className = 'message message-system';
  item.append(block('message-meta', 'Playground'), block('message-body', text));
  show(conversationId, item);
}

/**
 * Send what the user typed: first into the transcript (so it shows before the answer), then to the bot.
 * In the channel, the bot is @mentioned, as Teams requires.
 * @param {string} conversationId
 * @param {string} text
 */
async function say(conversationId, text) {
  const id = newId();
  const inChannel = conversationId === config.channel.id;
  const mention = `<at>${config.bot.name}</at>`;
  await call('/playground/messages', { conversationId, id, text: inChannel ? `@${config.bot.name} ${text}` : text });
  const body = {
    ...activity('message', conversationId, id, id),
    text: inChannel ? `${mention} ${text}` : text,
    textFormat: 'plain',
    entities: inChannel
      ? [{ type: 'mention', mentioned: { id: config.bot.id, name: config.bot.name }, text: mention }]
      : [],
  };
  const answer = await toBot(body);
  if (answer.status >= 300) {
    note(conversationId, `The bot answered ${answer.status}: ${messageOf(answer.body)}`);
  }
}

/** Universal Actions through /api/messages, as Teams sends them. */
class PlaygroundChannel extends AC.ChannelAdapter {
  /** @param {Message} message */
  constructor(message) {
    super();
    this.message = message;
  }

  /**
   * @param {import('adaptivecards').IActivityRequest} request
   * @returns {Promise<import('adaptivecards').ActivityResponse>}
   */
  async sendRequestAsync(request) {
    const action = request.action;
    if (!(action instanceof AC.ExecuteAction)) {
      return new AC.ErrorResponse(request, new AC.ActivityRequestError('NotSupported', 'Only Action.Execute.'));
    }
    const id = newId();
    const title = action.title ?? action.verb;
    const answer = await toBot({
      ...activity('invoke', this.message.conversationId, id, this.message.replyToId ?? this.message.id),
      name: 'adaptiveCard/action',
      replyToId: this.message.id,
      value: {
        action: { type: 'Action.Execute', id: action.id, verb: action.verb, data: action.data },
        trigger: request.trigger,
      },
    });
    const body = /** @type {Answer} */ (answer.body ?? {});
    if (answer.status === 200 && body.type === CARD) {
      invokeResults.set(this.message.id, { ok: true, text: `${title} → ${body.statusCode ?? 200}: card updated` });
      showInvokeResult(this.message.id);
      return new AC.SuccessResponse(request, JSON.stringify(body.value));
    }
    if (answer.status === 200 && body.type === 'application/vnd.microsoft.activity.message') {
      invokeResults.set(this.message.id, { ok: true, text: `${title} → ${String(body.value)}` });
      showInvokeResult(this.message.id);
      return new AC.SuccessResponse(request, JSON.stringify(String(body.value)));
    }
    const error = /** @type {{ code?: string, message?: string }} */ (body.value ?? body);
    const status = body.statusCode ?? answer.status;
    invokeResults.set(this.message.id, { ok: false, text: `${title} → ${status}: ${error.message ?? 'failed'}` });
    showInvokeResult(this.message.id);
    return new AC.ErrorResponse(request, new AC.ActivityRequestError(error.code, error.message));
  }
}

/** @param {string} messageId */
function showInvokeResult(messageId) {
  const item = document.querySelector(`li[data-id="${CSS.escape(messageId)}"]`);
  const result = invokeResults.get(messageId);
  if (!item || !result) return;
  item.querySelector('.invoke-result')?.remove();
  const line = block(result.ok ? 'invoke-result' : 'invoke-result invoke-result-error', result.text);
  line.setAttribute('role', 'status');
  item.append(line);
}

/**
 * @param {Message} message
 * @param {unknown} content
 */
function renderCard(message, content) {
  const applet = new AC.AdaptiveApplet();
  applet.hostConfig = hostConfig;
  applet.channelAdapter = new PlaygroundChannel(message);
  applet.onActivityRequestFailed = () => -1; // the answer is shown; no silent retries
  applet.onAction = (_applet, action) => {
    if (action instanceof AC.OpenUrlAction && action.url) window.open(action.url, '_blank', 'noopener');
  };
  applet.setCard(content);
  const holder = document.createElement('div');
  holder.className = 'card';
  holder.append(applet.renderedElement);
  return holder;
}

/** @param {Message} message */
function render(message) {
  const item = document.createElement('li');
  item.className = `message message-${message.from.role}`;
  item.dataset['id'] = message.id;
  item.dataset['role'] = message.from.role;
  item.append(block('message-meta', `${message.from.name} · ${time(message.timestamp)}`));
  if (message.text) item.append(block('message-body', message.text));
  for (const attachment of message.attachments) {
    item.append(
      attachment.contentType === CARD
        ? renderCard(message, attachment.content)
        : block('message-body', `[${attachment.contentType} attachment]`),
    );
  }
  if (message.updatedAt) item.append(block('message-updated', `Updated ${time(message.updatedAt)}`));
  return item;
}

/**
 * @param {string} conversationId
 * @param {HTMLElement} item
 */
function show(conversationId, item) {
  const pane = panes.get(conversationId);
  if (!pane) return;
  pane.append(item);
  pane.scrollTop = pane.scrollHeight;
}

/** @param {Message} message */
function place(message) {
  const existing = document.querySelector(`li[data-id="${CSS.escape(message.id)}"]`);
  if (existing) existing.replaceWith(render(message));
  else show(message.conversationId, render(message));
  showInvokeResult(message.id);
}

// --- the customer panel --------------------------------------------------------------------------------------

const select = /** @type {HTMLSelectElement} */ (byId('customer-request'));
const customerLog = byId('customer-log');
/** @type {RequestSummary[]} */
let requests = [];

/** @type {Record<string, (r: RequestSummary) => boolean>} */
const possible = {
  accept: (r) => r.status === 'draft' || r.status === 'sent',
  'accept-other': (r) => r.status === 'draft' || r.status === 'sent',
  approve: (r) => Boolean(r.gdapRelationshipId) && r.adminAccess === 'pending',
  terminate: (r) => Boolean(r.gdapRelationshipId) && r.adminAccess === 'granted',
  expire: (r) => Boolean(r.gdapRelationshipId) && (r.adminAccess === 'pending' || r.adminAccess === 'granted'),
  remove: (r) => Boolean(r.customerTenantId) && r.status === 'accepted',
};

function selected() {
  return requests.find((r) => r.id === select.value);
}

function updateButtons() {
  const request = selected();
  for (const button of document.querySelectorAll('.customer-actions button')) {
    const can = possible[/** @type {HTMLButtonElement} */ (button).dataset['act'] ?? ''];
    /** @type {HTMLButtonElement} */ (button).disabled = !request || !can || !can(request);
  }
}

async function refreshRequests() {
  const answer = await call('/playground/requests');
  if (answer.status !== 200) return;
  const previous = select.value;
  requests = /** @type {{ requests: RequestSummary[] }} */ (answer.body).requests;
  select.replaceChildren(
    ...requests.map((r) => {
      const option = document.createElement('option');
      option.value = r.id;
      option.textContent = `${r.id} · ${r.customerName} · ${r.status}, admin access ${r.adminAccess}`;
      return option;
    }),
  );
  if (requests.length === 0) {
    const option = document.createElement('option');
    option.textContent = 'No requests yet: ask the bot for one';
    option.value = '';
    select.append(option);
  }
  if (requests.some((r) => r.id === previous)) select.value = previous;
  updateButtons();
}

let refreshTimer = 0;
function refreshSoon() {
  window.clearTimeout(refreshTimer);
  refreshTimer = window.setTimeout(() => void refreshRequests(), 150);
}

/**
 * A tenant the bot already knows (given, or revealed by a GDAP approval) acts as itself; otherwise a new tenant.
 * @param {RequestSummary} r
 * @param {string} companyName
 */
function asTenant(r, companyName) {
  return r.customerTenantId ? { tenantId: r.customerTenantId, companyName } : { companyName };
}

/**
 * "Contoso" is registered as "Contoso Ltd"; a name with a legal form already keeps it.
 * @param {string} typed
 */
function registeredName(typed) {
  return /\b(ltd|limited|inc|llc|gmbh|ag|sa|bv|plc|corp)\.?$/i.test(typed) ? typed : `${typed} Ltd`;
}

/**
 * @param {string} act
 * @param {RequestSummary} r
 */
async function actAsCustomer(act, r) {
  const gdap = `/emulator/control/gdap/${encodeURIComponent(r.gdapRelationshipId ?? '')}`;
  switch (act) {
    // Partner Center shows the name the organisation registered and its onmicrosoft.com domain, never the domain
    // staff typed (which the customer still owns: it is passed as a custom domain the partner cannot see).
    case 'accept':
      return call('/emulator/control/customers', { ...asTenant(r, registeredName(r.customerName)), domain: r.domain });
    case 'accept-other':
      return call('/emulator/control/customers', {
        ...asTenant(r, `${r.customerName} Trading Holding GmbH`),
        domain: r.domain,
      });
    case 'approve':
      return call(`${gdap}/approve`, asTenant(r, registeredName(r.customerName)));
    case 'terminate':
    case 'expire':
      return call(`${gdap}/${act}`, {});
    default: {
      // Partner Center sends no webhook for this: the reconciler notices, so run it now.
      const tenant = encodeURIComponent(r.customerTenantId ?? '');
      const removed = await call(`/emulator/control/customers/${tenant}/remove-relationship`, {});
      if (removed.status >= 300) return removed;
      await call('/playground/reconcile', {});
      return removed;
    }
  }
}

/**
 * Act on the request as the bot has it now, not as the list last showed it: the list refreshes shortly after each
 * message, and a click right after a card changed (accepted, say) would otherwise approve as a tenant the bot has
 * since learned is someone else.
 * @param {string} act
 * @returns {Promise<{ status: number, body: unknown } | undefined>}
 */
async function actOnFreshRecord(act) {
  await refreshRequests();
  const request = selected();
  if (!request) return undefined;
  const label = document.querySelector(`button[data-act="${act}"]`)?.textContent ?? act;
  if (!possible[act]?.(request)) {
    customerLog.textContent = `${label}: no longer possible — the request is ${request.status}, admin access ${request.adminAccess}.`;
    return undefined;
  }
  customerLog.textContent = `${label} (${request.customerName})…`;
  return actAsCustomer(act, request);
}

select.addEventListener('change', updateButtons);
for (const button of document.querySelectorAll('.customer-actions button')) {
  button.addEventListener('click', () => {
    const act = /** @type {HTMLButtonElement} */ (button).dataset['act'] ?? '';
    const label = button.textContent;
    customerLog.textContent = `${label}…`;
    void actOnFreshRecord(act).then((answer) => {
      if (!answer) return;
      customerLog.textContent =
        answer.status < 300
          ? `${label}: done (${answer.status}). Watch #notifications.`
          : `${label}: refused (${answer.status}) — ${messageOf(answer.body)}`;
      refreshSoon();
    });
  });
}

// --- the conversations ---------------------------------------------------------------------------------------

const composer = /** @type {HTMLFormElement} */ (byId('composer'));
const input = /** @type {HTMLInputElement} */ (byId('composer-text'));
composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  void say(config.chat.id, text);
});
for (const chip of document.querySelectorAll('.suggestion')) {
  chip.addEventListener('click', () => {
    input.value = /** @type {HTMLElement} */ (chip).dataset['text'] ?? '';
    input.focus();
  });
}

let firstSnapshot = true;
const events = new EventSource('/playground/events');
/**
 * @param {Event} event
 * @returns {unknown}
 */
const dataOf = (event) => JSON.parse(/** @type {MessageEvent<string>} */ (event).data);
events.addEventListener('snapshot', (event) => {
  const snapshot = /** @type {Record<string, Message[]>} */ (dataOf(event));
  for (const pane of panes.values()) pane.replaceChildren();
  for (const messages of Object.values(snapshot)) for (const message of messages) place(message);
  if (firstSnapshot && !config.channelSubscribed) void say(config.channel.id, 'subscribe');
  firstSnapshot = false;
  refreshSoon();
});
for (const kind of ['message', 'update']) {
  events.addEventListener(kind, (event) => {
    place(/** @type {{ message: Message }} */ (dataOf(event)).message);
    refreshSoon();
  });
}
events.addEventListener('delete', (event) => {
  const { id } = /** @type {{ id: string }} */ (dataOf(event));
  document.querySelector(`li[data-id="${CSS.escape(id)}"]`)?.remove();
});
document.body.dataset['ready'] = 'true';
