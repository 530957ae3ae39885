import { createHash } from 'node:crypto';

/**
 * One-time invitation codes. 32 symbols without the look-alikes I, O, 0 and 1 (24 letters, digits
 * 2–9), so each symbol carries 5 bits and 16 symbols carry 80 bits, shown in four groups
 * (`ABCD-EFGH-JKLM-NPQR`). Only the SHA-256 of the normalised code is ever stored.
 */
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CODE_SYMBOLS = 16;
/** 16 symbols × 5 bits. */
export const CODE_BYTES = 10;
const NORMALISED = /^[A-HJ-NP-Z2-9]{16}$/;

/** A code from 10 random bytes (the caller passes `crypto.randomBytes(CODE_BYTES)`). */
export function codeFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== CODE_BYTES) throw new RangeError(`a code needs exactly ${CODE_BYTES} random bytes`);
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CODE_ALPHABET[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

/** `ABCDEFGHJKLMNPQR` → `ABCD-EFGH-JKLM-NPQR`, as printed on slips and typed by people. */
export const formatCode = (code: string): string => code.match(/.{1,4}/g)?.join('-') ?? code;

/**
 * What a person typed (any case, spaces or dashes) to the 16-symbol code, or undefined when it
 * cannot be a code. Callers must still spend the same work on an undefined result (timing).
 */
export function normaliseCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  return NORMALISED.test(code) ? code : undefined;
}

/** The only form in which a code is stored. Unparseable input hashes too (same work, never matches). */
export const codeHash = (typed: string): string =>
  createHash('sha256')
    .update(normaliseCode(typed) ?? `invalid:${typed.slice(0, 64)}`)
    .digest('hex');

/** The link printed beside the code; the code travels in the fragment, which no server logs. */
export const invitationLink = (formBase: string, code: string): string =>
  `${formBase.endsWith('.html') ? formBase : `${formBase.replace(/\/+$/, '')}/`}#${formatCode(code)}`;
