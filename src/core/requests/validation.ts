/**
 * Input rules of docs/behaviour.md#commands. Each check returns the normalised value or the reason it was refused, so a caller can
 * collect every problem at once (the request form shows them all).
 */

import { charCount, clipChars } from '../text.js';

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

export const CUSTOMER_NAME_MAX = 100;
const EMAIL_MAX = 254;
const DOMAIN_MAX = 253;

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const no = (problem: string): Checked<never> => ({ ok: false, problem });

// Invisible or direction-changing characters that would make a name display differently from what was typed.
// ZWJ/ZWNJ (U+200C/U+200D) stay allowed: some scripts and emoji need them.
const INVISIBLE =
  /[\p{Cc}\p{Cs}\p{Co}\p{Cn}\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/u;

/** 1–100 printable characters (docs/behaviour.md#commands); whitespace runs collapse to one space; composed to NFC. */
export function checkCustomerName(raw: string): Checked<string> {
  const name = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (name.length === 0) return no('The customer name is missing.');
  const bad = INVISIBLE.exec(name);
  if (bad) return no(`The customer name contains an invisible or control character (U+${codePoint(bad[0])}).`);
  const length = charCount(name);
  if (length > CUSTOMER_NAME_MAX) {
    return no(`The customer name is ${length} characters long; at most ${CUSTOMER_NAME_MAX} are allowed.`);
  }
  return ok(name);
}

// The WHATWG HTML "valid e-mail address" local part: what browsers accept in <input type=email>.
const LOCAL_PART = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/;

/** A deliverable-looking address: HTML's local-part rule and a valid DNS domain; the domain is lower-cased. */
export function checkEmail(raw: string): Checked<string> {
  const text = raw.trim();
  if (text.length === 0) return no('The contact email is missing.');
  if (text.length > EMAIL_MAX) return no(`The contact email is longer than ${EMAIL_MAX} characters.`);
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1)
    return no(`"${clip(text)}" is not an email address (expected name@company.com).`);
  const local = text.slice(0, at);
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return no(`"${clip(text)}" is not a valid email address: the part before @ has characters an address can't have.`);
  }
  const domain = checkDomain(text.slice(at + 1));
  if (!domain.ok) return no(`"${clip(text)}" is not a valid email address: ${lowerFirst(domain.problem)}`);
  return ok(`${local}@${domain.value}`);
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** A DNS name with at least two labels and an alphabetic (or punycode) top-level label; returned in ASCII. */
export function checkDomain(raw: string): Checked<string> {
  let text = raw.trim().normalize('NFC');
  if (text.endsWith('.')) text = text.slice(0, -1);
  if (text.length === 0) return no('The domain is missing.');
  if (!/^[\p{L}\p{M}\p{N}.-]+$/u.test(text))
    return no(`"${clip(text)}" is not a domain name (letters, digits, dots and hyphens only).`);
  let ascii: string;
  try {
    // WHATWG URL does the IDNA (punycode) conversion and lower-casing for us.
    ascii = new URL(`http://${text}/`).hostname;
  } catch {
    return no(`"${clip(text)}" is not a valid domain name.`);
  }
  if (ascii.length > DOMAIN_MAX) return no(`The domain is longer than ${DOMAIN_MAX} characters.`);
  const labels = ascii.split('.');
  if (labels.length < 2) return no(`"${clip(text)}" is not a full domain name (expected something like contoso.com).`);
  if (!labels.every((l) => LABEL.test(l))) return no(`"${clip(text)}" is not a valid domain name.`);
  if (!TLD.test(labels[labels.length - 1] ?? ''))
    return no(`"${clip(text)}" does not end in a valid top-level domain.`);
  return ok(ascii);
}

/** What a `tenant` holds: the customer's tenant id, or its `*.onmicrosoft.com` domain. */
export type TenantHint = { readonly tenantId: string } | { readonly tenantDomain: string };

const TENANT_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ONMICROSOFT = /^[a-z0-9]{1,27}\.onmicrosoft\.com$/;

/** A tenant id (GUID) or a `<name>.onmicrosoft.com` domain, lower-cased. */
export function checkTenant(raw: string): Checked<TenantHint> {
  const text = raw.trim().toLowerCase().replace(/\.$/, '');
  if (text.length === 0) return no('The tenant is missing.');
  if (TENANT_GUID.test(text)) return ok({ tenantId: text });
  if (ONMICROSOFT.test(text)) return ok({ tenantDomain: text });
  return no(
    `"${clip(raw.trim())}" is not a tenant: give the customer's tenant id (a GUID) or its .onmicrosoft.com domain.`,
  );
}

/** The domain part of an already-checked address. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

function codePoint(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}

function clip(text: string): string {
  return clipChars(text, 58, true);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
