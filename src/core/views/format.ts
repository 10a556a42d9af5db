/** Plain-text formatting shared by every card model. UTC everywhere: a team may span time zones. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2026-11-23T10:04:05.000Z` → `23 Nov 2026, 10:04 UTC` */
export function formatInstant(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}, ${hh}:${mm} UTC`;
}

/** How long ago, in the largest whole unit: "just now", "5 min", "3 h", "12 days". */
export function formatAge(fromIso: string, now: Date): string {
  const ms = now.getTime() - new Date(fromIso).getTime();
  if (!Number.isFinite(ms) || ms < 60_000) return 'just now';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

/**
 * Email clients and browsers cut or refuse long `mailto:` links (about 2,000 characters is the safe size), and a
 * percent-encoded non-Latin draft is up to nine times longer than its text.
 */
export const MAILTO_MAX_LENGTH = 2000;

/**
 * `mailto:` per RFC 6068: address readable, subject and body percent-encoded, CRLF line breaks. When the body would
 * make the link too long it is left out (`includesBody: false`); the draft stays on the card for copying.
 */
export function mailtoLink(email: string, subject: string, body: string): { url: string; includesBody: boolean } {
  const at = email.lastIndexOf('@');
  const address = `${encodeURIComponent(email.slice(0, at))}@${encodeURIComponent(email.slice(at + 1))}`;
  const withoutBody = `mailto:${address}?subject=${encodeURIComponent(subject)}`;
  const withBody = `${withoutBody}&body=${encodeURIComponent(body.replace(/\r?\n/g, '\r\n'))}`;
  return withBody.length <= MAILTO_MAX_LENGTH
    ? { url: withBody, includesBody: true }
    : { url: withoutBody, includesBody: false };
}
