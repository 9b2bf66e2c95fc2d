import { euVat, stdnum, type Validator } from 'stdnum';

/** How an EU country's VAT number is named and shaped in an error message. */
interface EuVatRule {
  adjective: string;
  shape: string;
  example: string;
}

// The EU member states. Greece's VAT prefix is EL, not its ISO code GR.
const EU_VAT: Record<string, EuVatRule> = {
  AT: { adjective: 'Austrian', shape: 'ATU + 8 digits', example: 'ATU12345678' },
  BE: { adjective: 'Belgian', shape: 'BE + 10 digits', example: 'BE0123456789' },
  BG: { adjective: 'Bulgarian', shape: 'BG + 9 or 10 digits', example: 'BG123456789' },
  CY: { adjective: 'Cypriot', shape: 'CY + 8 digits and a letter', example: 'CY12345678L' },
  CZ: { adjective: 'Czech', shape: 'CZ + 8 to 10 digits', example: 'CZ12345678' },
  DE: { adjective: 'German', shape: 'DE + 9 digits', example: 'DE123456789' },
  DK: { adjective: 'Danish', shape: 'DK + 8 digits', example: 'DK12345678' },
  EE: { adjective: 'Estonian', shape: 'EE + 9 digits', example: 'EE123456789' },
  ES: { adjective: 'Spanish', shape: 'ES + 9 letters or digits', example: 'ESB12345678' },
  FI: { adjective: 'Finnish', shape: 'FI + 8 digits', example: 'FI12345678' },
  FR: {
    adjective: 'French',
    shape: 'FR + 2 check characters and 9 digits',
    example: 'FR12345678901',
  },
  GR: { adjective: 'Greek', shape: 'EL + 9 digits', example: 'EL123456789' },
  HR: { adjective: 'Croatian', shape: 'HR + 11 digits', example: 'HR12345678901' },
  HU: { adjective: 'Hungarian', shape: 'HU + 8 digits', example: 'HU12345678' },
  IE: { adjective: 'Irish', shape: 'IE + 7 digits and 1 or 2 letters', example: 'IE1234567T' },
  IT: { adjective: 'Italian', shape: 'IT + 11 digits', example: 'IT12345678901' },
  LT: { adjective: 'Lithuanian', shape: 'LT + 9 or 12 digits', example: 'LT123456789' },
  LU: { adjective: 'Luxembourg', shape: 'LU + 8 digits', example: 'LU12345678' },
  LV: { adjective: 'Latvian', shape: 'LV + 11 digits', example: 'LV12345678901' },
  MT: { adjective: 'Maltese', shape: 'MT + 8 digits', example: 'MT12345678' },
  NL: { adjective: 'Dutch', shape: 'NL + 9 digits, B and 2 digits', example: 'NL123456789B01' },
  PL: { adjective: 'Polish', shape: 'PL + 10 digits', example: 'PL1234567890' },
  PT: { adjective: 'Portuguese', shape: 'PT + 9 digits', example: 'PT123456789' },
  RO: { adjective: 'Romanian', shape: 'RO + 2 to 10 digits', example: 'RO1234567' },
  SE: { adjective: 'Swedish', shape: 'SE + 12 digits', example: 'SE123456789001' },
  SI: { adjective: 'Slovenian', shape: 'SI + 8 digits', example: 'SI12345678' },
  SK: { adjective: 'Slovak', shape: 'SK + 10 digits', example: 'SK1234567890' },
};

// Resolved once at start-up so that a stdnum upgrade which drops a validator fails loudly here.
function validatorFor(country: string, kind: string): Validator {
  const validator = kind === 'euVat' ? euVat[country]?.[0] : stdnum[country]?.[kind];
  if (validator === undefined) throw new Error(`stdnum has no ${kind} validator for ${country}`);
  return validator;
}

/** How one country's tax id is checked and stored. */
interface TaxIdRule {
  validator: Validator;
  /** Prefixes a user may type before the number; removed before checking. */
  inputPrefixes: string[];
  /**
   * Turns stdnum's compact number (no prefix, no separators) into the stored form; gets the
   * prefix the user typed, if any.
   */
  stored: (compact: string, typedPrefix: string | undefined) => string;
  message: string;
}

function euVatRule(country: string, { adjective, shape, example }: EuVatRule): TaxIdRule {
  const prefix = country === 'GR' ? 'EL' : country;

  return {
    validator: validatorFor(country, 'euVat'),
    inputPrefixes: country === 'GR' ? ['EL', 'GR'] : [country],
    stored: (compact) => `${prefix}${compact}`,
    message: `That is not a valid ${adjective} VAT number (${shape}, e.g. ${example}).`,
  };
}

const asIs = (compact: string) => compact;

const TAX_ID_RULES = new Map<string, TaxIdRule>([
  ...Object.entries(EU_VAT).map(([country, rule]) => [country, euVatRule(country, rule)] as const),
  [
    'GB',
    {
      validator: validatorFor('GB', 'vat'),
      // Northern Ireland businesses trade with the EU under an XI prefix on the same number.
      inputPrefixes: ['GB', 'XI'],
      stored: (compact, typedPrefix) => `${typedPrefix === 'XI' ? 'XI' : 'GB'}${compact}`,
      message:
        'That is not a valid UK VAT number (GB + 9 digits, e.g. GB123456789; XI in Northern ' +
        'Ireland).',
    },
  ],
  [
    'AU',
    {
      validator: validatorFor('AU', 'abn'),
      inputPrefixes: [],
      stored: asIs,
      message:
        'That is not a valid Australian Business Number (ABN: 11 digits, e.g. 18 123 456 789).',
    },
  ],
  [
    'IN',
    {
      validator: validatorFor('IN', 'gstin'),
      inputPrefixes: [],
      stored: asIs,
      message:
        'That is not a valid Indian GSTIN (15 characters: state code, PAN, entity number, Z and ' +
        'a check character, e.g. 27AAACB1234F1Z9).',
    },
  ],
  [
    'CA',
    {
      validator: validatorFor('CA', 'bn'),
      inputPrefixes: [],
      stored: asIs,
      message:
        'That is not a valid Canadian Business Number (9 digits, or 15 such as 123456782RT0001).',
    },
  ],
  [
    'US',
    {
      validator: validatorFor('US', 'ein'),
      inputPrefixes: [],
      // The form the IRS prints and Stripe's `us_ein` tax id type expects.
      stored: (compact) => `${compact.slice(0, 2)}-${compact.slice(2)}`,
      message: 'That is not a valid US Employer Identification Number (EIN, e.g. 12-3456789).',
    },
  ],
]);

// The examples show a shape; a number of that shape can still fail its checksum, and then the
// shape alone does not tell the user what is wrong.
const CHECK_DIGIT_ADVICE = ' Check each digit: the number carries a check digit that must match.';

/** The outcome of a tax id check: the number as stored, or a message saying what to fix. */
export type TaxIdCheck = { ok: true; value: string } | { ok: false; message: string };

/**
 * Removes the separators people type into tax ids (spaces, dots, hyphens, slashes) and upper-cases
 * the rest: `de 136.695.976` → `DE136695976`.
 */
export function normaliseTaxId(text: string): string {
  return text.replace(/[\s./-]/g, '').toUpperCase();
}

/**
 * Checks a tax id against the rules of the billing country (ISO alpha-2, upper case) and returns
 * it in the form stored and sent to Stripe:
 * - EU VAT number: country prefix + number (`DE123456789`, Greece `EL123456789`); the prefix is
 *   optional on input, and Greece accepts `EL` or `GR`.
 * - GB VAT number: `GB` + number (`GB123456789`), or `XI` + number in Northern Ireland.
 * - AU ABN: 11 digits. IN GSTIN: 15 characters. CA BN: 9 digits, or 15 (`123456789RT0001`).
 * - US EIN: `12-3456789`.
 * - Anywhere else: 4 to 32 letters and digits, as normalised by `normaliseTaxId`.
 */
export function checkTaxId(country: string, text: string): TaxIdCheck {
  const taxId = normaliseTaxId(text);

  const rule = TAX_ID_RULES.get(country);
  if (rule === undefined) {
    return /^[A-Z0-9]{4,32}$/.test(taxId)
      ? { ok: true, value: taxId }
      : { ok: false, message: 'Enter the tax ID as 4 to 32 letters and digits.' };
  }

  const typedPrefix = rule.inputPrefixes.find((candidate) => taxId.startsWith(candidate));
  const number = typedPrefix === undefined ? taxId : taxId.slice(typedPrefix.length);
  const result = rule.validator.validate(number);
  return result.isValid
    ? { ok: true, value: rule.stored(result.compact, typedPrefix) }
    : { ok: false, message: `${rule.message}${CHECK_DIGIT_ADVICE}` };
}
