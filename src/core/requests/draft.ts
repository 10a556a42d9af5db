import Mustache from 'mustache';
import { ValidationError } from '../errors.js';
import type { Draft, LinkKind, RelationshipRequest } from '../model.js';
import { charCount, clipChars } from '../text.js';

/**
 * The draft email (docs/behaviour.md#the-request-card). The operator's template is Mustache text whose first line is `Subject: …`; values are
 * inserted as plain text (no HTML escaping, never re-expanded), and `{{#gdapLink}}…{{/gdapLink}}` shows a block only
 * when there is a GDAP link. Partner Center's own rule: the text may change, the links may not.
 */

export const DRAFT_MAX_LENGTH = 3000;
export const SUBJECT_MAX_LENGTH = 200;

export interface DraftValues {
  readonly customerName: string;
  readonly contactEmail: string;
  readonly domain: string;
  readonly partnerName: string;
  readonly requesterName: string;
  readonly resellerLink: string;
  /** empty when GDAP is off or the relationship could not be created */
  readonly gdapLink: string;
}

const KNOWN_NAMES: readonly (keyof DraftValues)[] = [
  'customerName',
  'contactEmail',
  'domain',
  'partnerName',
  'requesterName',
  'resellerLink',
  'gdapLink',
];

export interface DraftTemplate {
  readonly source: string;
  readonly usesGdapLink: boolean;
}

type Span = ReturnType<typeof Mustache.parse>[number];

/**
 * Check an operator's template once, at start-up: known placeholders only, a `Subject:` first line, and the reseller
 * link placed unconditionally (a draft without it would break the rule every saved draft must meet).
 */
export function compileDraftTemplate(source: string): DraftTemplate {
  let spans: Span[];
  try {
    spans = Mustache.parse(source);
  } catch (err) {
    throw new ValidationError(`The draft template is not valid Mustache: ${(err as Error).message}`);
  }
  const problems: string[] = [];
  if (!/^Subject:[^\n]*\S/.test(source)) problems.push('its first line must be "Subject: …" with a subject.');
  const tags = [...tagsOf(spans, 0)];
  for (const tag of tags) if (tag.type === '>') problems.push(`partials ({{> ${tag.name}}}) are not supported.`);
  const names = new Set(tags.filter((t) => ['name', '&', '#', '^'].includes(t.type)).map((t) => t.name));
  const topLevelLink = tags.some(
    (t) => t.name === 'resellerLink' && t.depth === 0 && (t.type === 'name' || t.type === '&'),
  );
  for (const name of names) {
    if (!(KNOWN_NAMES as readonly string[]).includes(name)) {
      problems.push(
        `{{${name}}} is not a known placeholder (known: ${KNOWN_NAMES.map((n) => `{{${n}}}`).join(', ')}).`,
      );
    }
  }
  if (!topLevelLink) problems.push('it must contain {{resellerLink}} outside any {{#section}}.');
  if (problems.length > 0) {
    throw new ValidationError(`The draft template is not usable: ${problems.join(' ')}`);
  }
  return { source, usesGdapLink: names.has('gdapLink') };
}

/** Every tag of a parsed template with its section depth (0 = not inside any section). */
function* tagsOf(spans: readonly Span[], depth: number): Generator<{ type: string; name: string; depth: number }> {
  for (const span of spans) {
    const [type, name] = span;
    if (type !== 'text') yield { type, name, depth };
    const children: unknown = span[4];
    if (Array.isArray(children)) yield* tagsOf(children as Span[], depth + 1);
  }
}

/** Fill the template. Values are text: Mustache's HTML escaping is switched off and values are never re-parsed. */
export function composeDraft(template: DraftTemplate, values: DraftValues): Draft {
  const text = Mustache.render(template.source, values, {}, { escape: (value: unknown) => String(value) });
  const newline = text.indexOf('\n');
  const subject = (newline === -1 ? text : text.slice(0, newline)).replace(/^Subject:\s*/, '').trim();
  const body = normaliseNewlines(newline === -1 ? '' : text.slice(newline + 1))
    .replace(/^\n+/, '')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();
  const draft = { subject: clipChars(subject, SUBJECT_MAX_LENGTH), body };
  // A template that renders past the limit would give users a draft they can never save.
  if (charCount(draft.body) > DRAFT_MAX_LENGTH) {
    throw new ValidationError(
      `The draft template produces ${charCount(draft.body)} characters; drafts may have at most ${DRAFT_MAX_LENGTH}. Shorten DRAFT_TEMPLATE.`,
    );
  }
  return draft;
}

/**
 * The longest values a draft can be filled with (docs/behaviour.md#commands limits; a generous display name; a GDAP link of the
 * documented shape). A template that fits these fits every request.
 */
export function longestDraftValues(partnerName: string, resellerLink: string): DraftValues {
  return {
    customerName: 'W'.repeat(100),
    contactEmail: `${'a'.repeat(64)}@${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.com`,
    domain: `${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.${'g'.repeat(60)}.com`,
    partnerName,
    requesterName: 'R'.repeat(128),
    resellerLink,
    gdapLink: `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${'0'.repeat(36)}-${'0'.repeat(36)}`,
  };
}

/** The links a saved draft must still contain (absent: not checked). */
export interface DraftLinks {
  readonly resellerLink?: string | undefined;
  readonly gdapLink?: string | undefined;
}

/** The sentence put before a link added to a draft that was written without it. */
export const LINK_LEADS: Readonly<Record<LinkKind, string>> = {
  reseller: 'To accept us as your Microsoft reseller, open:',
  gdap: 'To approve admin access (GDAP) for us, a Global Administrator can open:',
};

/** What the person is told when a link was added to the draft they saved. */
export const LINK_ADDED_NOTICES: Readonly<Record<LinkKind, string>> = {
  reseller: 'The reseller relationship link changed after you started editing; the new link is now included below.',
  gdap: 'The admin access link was added after you started editing; it is now included below.',
};

/** `body` with `link` in a paragraph of its own at the end, introduced by a sentence. */
export function withLink(body: string, kind: LinkKind, link: string): string {
  return `${body.trimEnd()}\n\n${LINK_LEADS[kind]}\n${link}`;
}

/** The request's fields a saved draft is checked against. */
export type LinkedRequest = Pick<RelationshipRequest, 'resellerLink' | 'gdapLink' | 'linkVersions' | 'version'>;

/**
 * An edited draft, checked for saving against the links of the version its editor saw (`editedVersion`; absent: the
 * current one): a link they saw must still be there, unchanged; a link the request gained after that version is put
 * back into the text when missing, and said so in `notices`. Throws `ValidationError` like `checkDraftEdit`.
 */
export function draftForSave(
  edit: { subject: string; body: string },
  request: LinkedRequest,
  editedVersion?: number,
): { draft: Draft; notices: string[] } {
  const seen = editedVersion === undefined ? request.version : Math.min(editedVersion, request.version);
  const links: [LinkKind, string | undefined][] = [
    ['reseller', request.resellerLink],
    ['gdap', request.gdapLink],
  ];
  const required: { resellerLink?: string; gdapLink?: string } = {};
  const notices: string[] = [];
  let body = normaliseNewlines(edit.body);
  for (const [kind, link] of links) {
    if (!link) continue;
    if ((request.linkVersions?.[kind] ?? 1) <= seen) required[kind === 'reseller' ? 'resellerLink' : 'gdapLink'] = link;
    else if (!containsLinkIntact(body, link)) {
      body = withLink(body, kind, link);
      notices.push(LINK_ADDED_NOTICES[kind]);
    }
  }
  return { draft: checkDraftEdit({ subject: edit.subject, body }, required), notices };
}

/**
 * Check an edited draft before it is saved: plain text, 1–3,000 characters, and every link still present exactly
 * as given. Returns the normalised draft; throws `ValidationError` naming the field (`subject` or `body`).
 */
export function checkDraftEdit(edit: { subject: string; body: string }, links: DraftLinks): Draft {
  const subject = edit.subject.replace(/\s+/g, ' ').trim();
  const body = normaliseNewlines(edit.body).trim();
  const problems: Record<string, string> = {};

  if (subject.length === 0) problems['subject'] = 'The subject is empty.';
  else if (charCount(subject) > SUBJECT_MAX_LENGTH) {
    problems['subject'] =
      `The subject has ${charCount(subject)} characters; at most ${SUBJECT_MAX_LENGTH} are allowed.`;
  } else if (CONTROL.test(subject)) problems['subject'] = 'The subject contains control characters.';

  const length = charCount(body);
  if (length === 0) problems['body'] = 'The draft is empty.';
  else if (length > DRAFT_MAX_LENGTH) {
    problems['body'] =
      `The draft has ${length.toLocaleString('en-US')} characters; at most ${DRAFT_MAX_LENGTH.toLocaleString('en-US')} are allowed. ` +
      `Shorten it by ${(length - DRAFT_MAX_LENGTH).toLocaleString('en-US')}.`;
  } else if (CONTROL_EXCEPT_LAYOUT.test(body)) problems['body'] = 'The draft contains control characters.';
  else if (links.resellerLink && !containsLinkIntact(body, links.resellerLink)) {
    problems['body'] =
      'The draft must still contain the reseller relationship link exactly as it was — the customer needs it to ' +
      `accept. Put this link back: ${links.resellerLink}`;
  } else if (links.gdapLink && !containsLinkIntact(body, links.gdapLink)) {
    problems['body'] =
      'The draft must still contain the admin access (GDAP) approval link exactly as it was. ' +
      `Put this link back: ${links.gdapLink}`;
  }

  const [first] = Object.values(problems);
  if (first !== undefined) throw new ValidationError(first, problems);
  return { subject, body };
}

const CONTROL = /\p{Cc}/u;
const CONTROL_EXCEPT_LAYOUT = /[^\P{Cc}\n\t]/u;

/**
 * True when `link` appears as a whole URL: not glued to URL characters on either side. Trailing sentence
 * punctuation is fine ("… this link: https://…/invitation."), an altered or extended link is not.
 */
export function containsLinkIntact(text: string, link: string): boolean {
  if (link.length === 0) return false;
  for (let at = text.indexOf(link); at !== -1; at = text.indexOf(link, at + 1)) {
    const before = at === 0 ? '' : text.charAt(at - 1);
    const after = text.slice(at + link.length);
    const cleanStart = before === '' || /[\s(<[“"'‘«]/u.test(before);
    const cleanEnd = /^[.,;:!?)\]>”"'’»]*(?:\s|$)/u.test(after);
    if (cleanStart && cleanEnd) return true;
  }
  return false;
}

export function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}
