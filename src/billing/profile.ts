import { z } from 'zod';
import {
  checkPostalCode,
  countryInSentence,
  postalCodeRequired,
  regionRequired,
  resolveCountry,
  resolveRegion,
} from './country.ts';
import { checkTaxId } from './tax-id.ts';

/** The eight fields of a billing profile, the details printed on invoices. */
export type ProfileField =
  | 'legalName'
  | 'addressLine1'
  | 'addressLine2'
  | 'city'
  | 'region'
  | 'postalCode'
  | 'country'
  | 'taxId';

/** How a form shows one profile field. `maxLength` counts characters after trimming. */
export interface ProfileFieldSpec {
  key: ProfileField;
  label: string;
  required: boolean | 'depends on country';
  maxLength: number;
  hint: string;
}

/** The profile fields in form order, for the Slack, Discord and console forms. */
export const PROFILE_FIELDS: readonly ProfileFieldSpec[] = [
  {
    key: 'legalName',
    label: 'Legal name',
    required: true,
    maxLength: 200,
    hint: 'The registered name of the company or person, e.g. Example GmbH',
  },
  {
    key: 'addressLine1',
    label: 'Address line 1',
    required: true,
    maxLength: 200,
    hint: 'Street and number, e.g. Hauptstraße 5',
  },
  {
    key: 'addressLine2',
    label: 'Address line 2 (optional)',
    required: false,
    maxLength: 200,
    hint: 'Suite, floor or building, e.g. 3rd floor',
  },
  { key: 'city', label: 'City', required: true, maxLength: 100, hint: 'e.g. Berlin' },
  {
    key: 'region',
    label: 'State / region',
    required: 'depends on country',
    maxLength: 100,
    hint: 'Needed in the US, Canada, Australia, India, Brazil, Mexico, Japan and China, e.g. NY',
  },
  {
    key: 'postalCode',
    label: 'ZIP or postal code',
    required: 'depends on country',
    maxLength: 20,
    hint: 'e.g. 10115 or SW1A 1AA; leave empty where there are none (e.g. Hong Kong)',
  },
  {
    key: 'country',
    label: 'Country',
    required: true,
    maxLength: 100,
    hint: 'Name or two-letter code, e.g. Germany or DE',
  },
  {
    key: 'taxId',
    label: 'Tax ID',
    required: true,
    maxLength: 32,
    hint: 'VAT number, ABN, GSTIN, EIN… e.g. DE123456789',
  },
];

/** Raw text as typed into a form; any field may be missing. */
export type ProfileInput = Partial<Record<ProfileField, string | null | undefined>>;

/** A checked billing profile, in the form stored and printed on invoices. */
export interface BillingProfileFields {
  legalName: string;
  addressLine1: string;
  addressLine2: string | null;
  city: string;
  /** Two-letter code in the US and Canada, as typed elsewhere; null where not needed and empty. */
  region: string | null;
  /**
   * Upper case, in the national layout where one is known (`SW1A 1AA`, `100-0001`); null in
   * countries without postal codes (Hong Kong, the United Arab Emirates).
   */
  postalCode: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  /** See `checkTaxId` for the stored form of each kind of number. */
  taxId: string;
}

/** One message per field that needs fixing, each saying what to change. */
export type ProfileErrors = Partial<Record<ProfileField, string>>;

export type ProfileValidation =
  | { ok: true; profile: BillingProfileFields }
  | { ok: false; errors: ProfileErrors };

type FieldCheck<T> = { ok: true; value: T } | { ok: false; message: string };

// The field's name inside a sentence; the labels carry form-only words such as "(optional)".
const FIELD_NOUNS: Record<ProfileField, string> = {
  legalName: 'legal name',
  addressLine1: 'address line 1',
  addressLine2: 'address line 2',
  city: 'city',
  region: 'state / region',
  postalCode: 'ZIP or postal code',
  country: 'country',
  taxId: 'tax ID',
};

const UNKNOWN_COUNTRY =
  'Country not recognised: enter a country name or its two-letter code (e.g. DE).';

// One zod schema per field: each reports its own problem, so every field is checked even when
// another one fails.
const FIELD_SCHEMAS = Object.fromEntries(
  PROFILE_FIELDS.map((spec) => [spec.key, singleLineText(spec)]),
) as Record<ProfileField, ReturnType<typeof singleLineText>>;

/** Returns the trimmed, whitespace-collapsed text, or '' when an optional field is left empty. */
function singleLineText(spec: ProfileFieldSpec) {
  const noun = FIELD_NOUNS[spec.key];

  return z
    .string({ error: `Enter the ${noun} as text.` })
    .nullish()
    .transform((raw, ctx) => {
      // NFC first, so that an accent typed as two code points counts as one character.
      const text = (raw ?? '').normalize('NFC').trim();

      // Invoices print each field on one line; a pasted newline or tab would break the layout.
      if (/\p{Cc}/u.test(text)) {
        const message = `Remove line breaks, tabs or other control characters from the ${noun}.`;
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }

      const collapsed = text.replace(/\s+/g, ' ');
      if ([...collapsed].length > spec.maxLength) {
        const message = `Shorten the ${noun} to ${spec.maxLength} characters or fewer.`;
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }

      if (collapsed === '' && spec.required === true) {
        ctx.addIssue({ code: 'custom', message: `Enter the ${noun}.` });
        return z.NEVER;
      }
      return collapsed;
    });
}

function checkRegion(country: string, text: string): FieldCheck<string | null> {
  if (text !== '') return resolveRegion(country, text);
  if (!regionRequired(country)) return { ok: true, value: null };

  const message = `Enter the state / region: addresses in ${countryInSentence(country)} need one.`;
  return { ok: false, message };
}

/** Runs every field's schema; a refused or empty field leaves '' and, if it matters, an error. */
function cleanFields(input: ProfileInput, errors: ProfileErrors): Record<ProfileField, string> {
  const entries = PROFILE_FIELDS.map(({ key }) => {
    const parsed = FIELD_SCHEMAS[key].safeParse(input[key]);
    if (parsed.success) return [key, parsed.data];

    errors[key] = parsed.error.issues[0]?.message ?? `Check the ${FIELD_NOUNS[key]}.`;
    return [key, ''];
  });

  return Object.fromEntries(entries) as Record<ProfileField, string>;
}

/**
 * Checks a billing profile as typed and returns it normalised for storage, or one message per
 * field that needs fixing; every problem is reported at once, never only the first.
 * Text is NFC-normalised, trimmed and its inner whitespace collapsed; control characters are
 * refused. The country becomes its alpha-2 code; the state, postal code and tax id are checked
 * against that country's rules only when the country itself is recognised.
 */
export function validateProfile(input: ProfileInput): ProfileValidation {
  const errors: ProfileErrors = {};
  const text = cleanFields(input, errors);

  const country = text.country === '' ? null : resolveCountry(text.country);
  if (text.country !== '' && country === null) errors.country = UNKNOWN_COUNTRY;
  // Without a country there is no rule to check the state, postal code or tax id against.
  if (country === null) return { ok: false, errors };

  const region = settle(errors, 'region', () => checkRegion(country, text.region));
  const postalCode = settle(errors, 'postalCode', () => checkPostalCode(country, text.postalCode));
  const taxId = settle(errors, 'taxId', () => checkTaxId(country, text.taxId));
  const failed = region === undefined || postalCode === undefined || taxId === undefined;
  if (failed || Object.keys(errors).length > 0) return { ok: false, errors };

  const { legalName, addressLine1, city } = text;
  const addressLine2 = text.addressLine2 === '' ? null : text.addressLine2;
  return {
    ok: true,
    profile: { legalName, addressLine1, addressLine2, city, region, postalCode, country, taxId },
  };
}

/**
 * Runs a country rule and records its message under the field. A field already refused as text
 * is skipped, so it keeps that message rather than gaining a second one.
 */
function settle<T>(
  errors: ProfileErrors,
  key: ProfileField,
  check: () => FieldCheck<T>,
): T | undefined {
  if (errors[key] !== undefined) return undefined;

  const result = check();
  if (!result.ok) errors[key] = result.message;
  return result.ok ? result.value : undefined;
}

/**
 * Whether a stored profile has every field an invoice needs, and which ones are missing, for
 * members who may see only that. A null profile (never saved) misses every required field.
 * Presence only: the values were checked when the profile was saved.
 */
export function profileCompleteness(p: BillingProfileFields | null): {
  complete: boolean;
  missing: ProfileField[];
} {
  const missing = PROFILE_FIELDS.filter(({ key, required }) => {
    if (p === null) return required === true;
    if (key === 'region') return regionRequired(p.country) && !p.region;
    if (key === 'postalCode') return postalCodeRequired(p.country) && !p.postalCode;
    return required === true && !p[key];
  }).map(({ key }) => key);

  return { complete: missing.length === 0, missing };
}

/**
 * A log-safe summary of where the customer is, such as `Berlin, DE` or `Austin, TX, US`.
 * Never holds the legal name, street, postal code or tax id: logs must not hold full addresses.
 */
export function redactedAddress(p: BillingProfileFields): string {
  return [p.city, p.region, p.country].filter((part) => part).join(', ');
}
