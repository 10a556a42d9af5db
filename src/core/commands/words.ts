/** Small text helpers for reading command arguments. */

/** Collapse all whitespace (including newlines and no-break spaces) to single spaces and trim. */
export function squash(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

export function splitWords(text: string): string[] {
  const squashed = squash(text);
  return squashed === '' ? [] : squashed.split(' ');
}

const QUOTES: readonly (readonly [string, string])[] = [
  ['"', '"'],
  ["'", "'"],
  ['“', '”'],
  ['‘', '’'],
  ['«', '»'],
];

/** `"Contoso, Ltd"` → `Contoso, Ltd` (only when the whole text is quoted). */
export function unquote(text: string): string {
  for (const [open, close] of QUOTES) {
    if (text.length >= 2 && text.startsWith(open) && text.endsWith(close)) return text.slice(1, -1).trim();
  }
  return text;
}

/**
 * An email as chat clients may deliver it: `admin@contoso.com`, `<admin@contoso.com>`, `mailto:admin@contoso.com`,
 * or Slack's escaped `<mailto:admin@contoso.com|admin@contoso.com>`.
 */
export function unwrapEmail(token: string): string {
  let t = token.trim();
  if (t.startsWith('<') && t.endsWith('>')) {
    t = t.slice(1, -1);
    // Slack's escaped link is <target|label>; outside it, "|" is a legal character of an address.
    const bar = t.indexOf('|');
    if (bar !== -1) t = t.slice(0, bar);
  }
  if (t.toLowerCase().startsWith('mailto:')) t = t.slice('mailto:'.length);
  return t;
}

/** A domain as chat clients may deliver it: `contoso.com`, `<http://contoso.com|contoso.com>`, `https://contoso.com/`. */
export function unwrapDomain(token: string): string {
  let t = token.trim();
  if (t.startsWith('<') && t.endsWith('>')) {
    t = t.slice(1, -1);
    const bar = t.indexOf('|');
    if (bar !== -1) t = t.slice(bar + 1);
  }
  return t.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
}
