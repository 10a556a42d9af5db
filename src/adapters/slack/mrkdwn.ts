/**
 * Slack mrkdwn safety. Slack reads `&`, `<` and `>` as markup (`<!channel>`, `<@U123>`, `<https://x|label>`), so user
 * text has exactly those three escaped; text objects carrying it are also `verbatim: true` so Slack does not turn a
 * plain `@here` or URL into a mention or link by itself.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text objects allow 3,000 characters. */
export const TEXT_OBJECT_MAX = 3000;

/**
 * Escaped text split into pieces of at most `max` characters, at line breaks where possible and never inside an
 * escape (`&amp;`), so each piece fits one section block.
 */
export function chunkEscaped(escaped: string, max = TEXT_OBJECT_MAX): string[] {
  const chunks: string[] = [];
  let rest = escaped;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = max;
    const entity = rest.lastIndexOf('&', cut);
    if (entity > cut - 5 && !rest.slice(entity, cut).includes(';')) cut = entity;
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest !== '' || chunks.length === 0) chunks.push(rest);
  return chunks;
}

/** A URL inside `<url|label>` markup: `|` and `>` would end it early, so they are percent-encoded. */
export function linkTarget(url: string): string {
  return url.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C');
}
