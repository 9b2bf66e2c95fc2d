// The one-time codes that link a second workspace to an account: short enough to read aloud or
// type from another screen, random enough that the few tries a workspace gets cannot find one.
import { createHash, randomInt } from 'node:crypto';

// Digits and capitals without 0/O, 1/I/L (confused when read or copied by hand) and U (so that
// no code spells a rude word by chance): 30 symbols, 8 of them make about 6.6 × 10^11 codes.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 8;

/** A new code in its stored form (eight symbols, no dash), from the system's secure RNG. */
export function newLinkCode(): string {
  let code = '';
  for (let index = 0; index < CODE_LENGTH; index += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** A code as people see it: two groups of four, `K7QM-2XPD`. */
export function formatLinkCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * A typed code in its stored form, or null when it cannot be one. Case, spaces, dashes and
 * quotes are ignored (`k7qm 2xpd`, `K7QM2XPD`, a code pasted with its backticks).
 */
export function normaliseLinkCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[^0-9A-Z]/g, '');
  if (code.length !== CODE_LENGTH) return null;
  return [...code].every((symbol) => ALPHABET.includes(symbol)) ? code : null;
}

/**
 * What the database keeps of a code: the hex SHA-256 of its stored form, so that reading the
 * table (a backup, a support query) does not hand out live codes. A hash of so short a code can
 * be searched offline; a code's ten-minute life is what makes that moot.
 */
export function hashLinkCode(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}
