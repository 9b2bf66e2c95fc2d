import { describe, expect, it } from 'vitest';
import { checkTaxId, normaliseTaxId } from '../../src/billing/tax-id.ts';

// The numbers below are made-up sequences (12345678…) whose check digits were computed with
// stdnum; none was copied from a real company.

describe('normaliseTaxId', () => {
  it.each([
    ['de 123 456 788', 'DE123456788'],
    ['DE.123.456.788', 'DE123456788'],
    ['12-3456789', '123456789'],
    ['27aaacb1234f1z9', '27AAACB1234F1Z9'],
    ['GB 123/4567/27', 'GB123456727'],
    ['  NL 1234.5678.2 B01 ', 'NL123456782B01'],
  ])('turns %j into %j', (typed, expected) => {
    expect(normaliseTaxId(typed)).toBe(expected);
  });
});

describe('checkTaxId', () => {
  it.each([
    // EU VAT numbers: prefix optional on input, always stored.
    ['DE', 'DE123456788', 'DE123456788'],
    ['DE', '123456788', 'DE123456788'],
    ['DE', 'de 123.456.788', 'DE123456788'],
    ['FR', 'FR11123456782', 'FR11123456782'],
    ['FR', '11 123 456 782', 'FR11123456782'],
    ['GR', 'EL123456783', 'EL123456783'],
    ['GR', 'GR123456783', 'EL123456783'], // the ISO code is accepted, the VAT prefix stored
    ['GR', '123456783', 'EL123456783'],
    ['IT', 'IT12345670017', 'IT12345670017'],
    ['IT', '12345670017', 'IT12345670017'],
    ['NL', 'NL123456782B01', 'NL123456782B01'],
    ['NL', '1234.56.782.B.01', 'NL123456782B01'],
    ['AT', 'U12345675', 'ATU12345675'],
    // National numbers.
    ['GB', 'GB123456727', 'GB123456727'],
    ['GB', '123 4567 27', 'GB123456727'],
    ['GB', 'XI 123 4567 27', 'XI123456727'], // Northern Ireland keeps its XI prefix
    ['AU', '18 123 456 789', '18123456789'],
    ['IN', '27AAACB1234F1Z9', '27AAACB1234F1Z9'],
    ['IN', '27aaacb1234f1z9', '27AAACB1234F1Z9'],
    ['CA', '123456782', '123456782'], // BN9
    ['CA', '123456782 RT 0001', '123456782RT0001'], // BN15: a GST/HST program account
    ['US', '12-3456789', '12-3456789'],
    ['US', '123456789', '12-3456789'],
    // Elsewhere: letters and digits only.
    ['NO', '123 456 789 MVA', '123456789MVA'],
    ['CH', 'CHE-123.456.789', 'CHE123456789'],
    ['AE', '1001', '1001'],
  ])('accepts %s %j and stores %j', (country, typed, stored) => {
    expect(checkTaxId(country, typed)).toEqual({ ok: true, value: stored });
  });

  it.each([
    [
      'DE',
      'DE123456789', // wrong check digit
      'That is not a valid German VAT number (DE + 9 digits, e.g. DE123456789). Check each digit: the number carries a check digit that must match.',
    ],
    [
      'DE',
      'DE12345678',
      'That is not a valid German VAT number (DE + 9 digits, e.g. DE123456789). Check each digit: the number carries a check digit that must match.',
    ],
    [
      'DE',
      'FR11123456782', // a French number for a German address
      'That is not a valid German VAT number (DE + 9 digits, e.g. DE123456789). Check each digit: the number carries a check digit that must match.',
    ],
    [
      'FR',
      'FR12123456782',
      'That is not a valid French VAT number ' +
        '(FR + 2 check characters and 9 digits, e.g. FR12345678901). Check each digit: the number carries a check digit that must match.',
    ],
    [
      'GR',
      'EL123456784',
      'That is not a valid Greek VAT number (EL + 9 digits, e.g. EL123456789). Check each digit: the number carries a check digit that must match.',
    ],
    [
      'IT',
      'IT12345670018',
      'That is not a valid Italian VAT number (IT + 11 digits, e.g. IT12345678901). Check each digit: the number carries a check digit that must match.',
    ],
    [
      'NL',
      'NL123456783B01',
      'That is not a valid Dutch VAT number (NL + 9 digits, B and 2 digits, e.g. NL123456789B01). Check each digit: the number carries a check digit that must match.',
    ],
    [
      'GB',
      'GB123456728',
      'That is not a valid UK VAT number (GB + 9 digits, e.g. GB123456789; XI in Northern Ireland). Check each digit: the number carries a check digit that must match.',
    ],
    [
      'GB',
      'XI123456728', // the XI prefix is checked like GB: this check digit is wrong
      'That is not a valid UK VAT number (GB + 9 digits, e.g. GB123456789; XI in Northern Ireland). Check each digit: the number carries a check digit that must match.',
    ],
    [
      'AU',
      '18 123 456 780',
      'That is not a valid Australian Business Number (ABN: 11 digits, e.g. 18 123 456 789). Check each digit: the number carries a check digit that must match.',
    ],
    [
      'IN',
      '27AAACB1234F1Z8',
      'That is not a valid Indian GSTIN (15 characters: state code, PAN, entity number, Z and ' +
        'a check character, e.g. 27AAACB1234F1Z9). Check each digit: the number carries a check digit that must match.',
    ],
    [
      'IN',
      '99AAACB1234F1Z9', // no such state code
      'That is not a valid Indian GSTIN (15 characters: state code, PAN, entity number, Z and ' +
        'a check character, e.g. 27AAACB1234F1Z9). Check each digit: the number carries a check digit that must match.',
    ],
    [
      'CA',
      '123456783',
      'That is not a valid Canadian Business Number (9 digits, or 15 such as 123456782RT0001). Check each digit: the number carries a check digit that must match.',
    ],
    [
      'CA',
      '123456782XX0001', // no such program identifier
      'That is not a valid Canadian Business Number (9 digits, or 15 such as 123456782RT0001). Check each digit: the number carries a check digit that must match.',
    ],
    [
      'US',
      '07-1234567', // 07 is not an IRS campus prefix
      'That is not a valid US Employer Identification Number (EIN, e.g. 12-3456789). Check each digit: the number carries a check digit that must match.',
    ],
    [
      'US',
      '12-345678',
      'That is not a valid US Employer Identification Number (EIN, e.g. 12-3456789). Check each digit: the number carries a check digit that must match.',
    ],
    ['NO', '123', 'Enter the tax ID as 4 to 32 letters and digits.'],
    ['NO', '123#456', 'Enter the tax ID as 4 to 32 letters and digits.'],
    ['AE', 'A'.repeat(33), 'Enter the tax ID as 4 to 32 letters and digits.'],
  ])('refuses %s %j', (country, typed, message) => {
    expect(checkTaxId(country, typed)).toEqual({ ok: false, message });
  });
});
