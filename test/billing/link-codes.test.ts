import { describe, expect, it } from 'vitest';
import {
  formatLinkCode,
  hashLinkCode,
  newLinkCode,
  normaliseLinkCode,
} from '../../src/billing/link-codes.ts';

describe('link codes', () => {
  it('makes eight symbols without 0, O, 1, I, L or U, shown as two groups of four', () => {
    const codes = Array.from({ length: 500 }, () => newLinkCode());

    for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{8}$/);
    expect(new Set(codes).size).toBe(500);
    expect(formatLinkCode('K7QM2XPD')).toBe('K7QM-2XPD');
  });

  it.each([
    ['K7QM-2XPD', 'K7QM2XPD'], // as shown
    ['k7qm-2xpd', 'K7QM2XPD'], // lower case
    ['K7QM2XPD', 'K7QM2XPD'], // the dash left out
    ['  k7qm 2xpd ', 'K7QM2XPD'], // a space instead of the dash
    ['`K7QM-2XPD`', 'K7QM2XPD'], // pasted with its backticks
    ['K7QM–2XPD', 'K7QM2XPD'], // an en dash, as some keyboards and chat apps make it
    ['K7QM-2XP', null], // a symbol short
    ['K7QM-2XPDD', null], // a symbol too many
    ['K7QM-2XP0', null], // zero is never in a code
    ['K7QM-2XPO', null], // nor is O
    ['', null],
  ])('reads %j as %j', (typed, expected) => {
    expect(normaliseLinkCode(typed)).toBe(expected);
  });

  it('hashes the stored form with SHA-256, so typing variants find the same row', () => {
    const hash = hashLinkCode('K7QM2XPD');

    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashLinkCode(normaliseLinkCode('k7qm 2xpd') ?? '')).toBe(hash);
  });
});
