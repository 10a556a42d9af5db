/**
 * Lengths as people and chat platforms count them: in Unicode code points, so an emoji or a CJK character is one
 * character (JavaScript's `length` counts UTF-16 units, two for most emoji).
 */
export function charCount(text: string): number {
  return Array.from(text).length;
}

/** At most `max` characters; with `ellipsis`, the last kept character is replaced by "…" when text was cut. */
export function clipChars(text: string, max: number, ellipsis = false): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return ellipsis ? `${chars.slice(0, max - 1).join('')}…` : chars.slice(0, max).join('');
}
