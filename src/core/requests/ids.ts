/**
 * Short request ids like `RR-7K2Q9`: five characters of Crockford's base 32 (no I, L, O, U), so they can be read
 * aloud and typed on a phone. 32^5 ≈ 33.5 million ids; creation retries on the rare collision (the stores refuse a
 * duplicate id).
 */
export const REQUEST_ID_PREFIX = 'RR-';
export const REQUEST_ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REQUEST_ID_LENGTH = 5;

const ID_PATTERN = new RegExp(`^${REQUEST_ID_PREFIX}[${REQUEST_ID_ALPHABET}]{${REQUEST_ID_LENGTH}}$`);

/** Build an id from random bytes (one byte per character; only the low five bits are used). */
export function requestIdFromBytes(bytes: Uint8Array): string {
  if (bytes.length < REQUEST_ID_LENGTH) throw new RangeError(`need ${REQUEST_ID_LENGTH} random bytes`);
  let id = REQUEST_ID_PREFIX;
  for (let i = 0; i < REQUEST_ID_LENGTH; i++) id += REQUEST_ID_ALPHABET.charAt((bytes[i] ?? 0) & 31);
  return id;
}

export function isRequestId(text: string): boolean {
  return ID_PATTERN.test(text);
}

/**
 * Read what a person typed as a request id: any case, with or without the `RR-` prefix (or with `RR` and no dash),
 * and Crockford's look-alikes (O→0, I/L→1). Returns `undefined` when it cannot be an id.
 */
export function parseRequestId(text: string): string | undefined {
  let body = text.trim().toUpperCase();
  if (body.startsWith(REQUEST_ID_PREFIX)) body = body.slice(REQUEST_ID_PREFIX.length);
  else if (body.startsWith('RR') && body.length === REQUEST_ID_LENGTH + 2) body = body.slice(2);
  if (body.length !== REQUEST_ID_LENGTH) return undefined;
  body = body.replace(/O/g, '0').replace(/[IL]/g, '1');
  const id = REQUEST_ID_PREFIX + body;
  return isRequestId(id) ? id : undefined;
}
