import { describe, expect, it } from 'vitest';
import {
  type BillingProfileFields,
  PROFILE_FIELDS,
  type ProfileField,
  type ProfileInput,
  profileCompleteness,
  redactedAddress,
  validateProfile,
} from '../../src/billing/profile.ts';

// What each country needs besides the common fields to make a valid profile (tax ids are
// made-up numbers with valid check digits).
const COUNTRY_NEEDS: Record<string, ProfileInput> = {
  DE: { postalCode: '10115', taxId: 'DE123456788' },
  US: { region: 'TX', postalCode: '78701', taxId: '12-3456789' },
  GB: { postalCode: 'SW1A 1AA', taxId: 'GB123456727' },
  CA: { region: 'ON', postalCode: 'K1A 0B6', taxId: '123456782' },
  NL: { postalCode: '1012 AB', taxId: 'NL123456782B01' },
  JP: { region: 'Tokyo', postalCode: '100-0001', taxId: 'T1234567890123' },
  AU: { region: 'NSW', postalCode: '2000', taxId: '18123456789' },
  AE: { postalCode: '00000', taxId: '100123456700003' }, // no postal code pattern in the library
};

/** A valid profile as typed for the country, with some fields changed. */
function typedProfile(country: string, changes: ProfileInput = {}): ProfileInput {
  const common = { legalName: 'Example Ltd', addressLine1: '1 Main Street', city: 'Springfield' };
  const needs = COUNTRY_NEEDS[country] ?? { postalCode: '12345', taxId: '1234567890' };
  return { ...common, country, ...needs, ...changes };
}

function expectStored(input: ProfileInput, field: ProfileField, stored: string | null): void {
  const result = validateProfile(input);
  expect(result).toEqual({ ok: true, profile: expect.objectContaining({ [field]: stored }) });
}

function expectOnlyError(input: ProfileInput, field: ProfileField, message: string): void {
  expect(validateProfile(input)).toEqual({ ok: false, errors: { [field]: message } });
}

describe('PROFILE_FIELDS', () => {
  it('lists the eight fields in form order with their labels', () => {
    expect(PROFILE_FIELDS.map(({ key, label }) => [key, label])).toEqual([
      ['legalName', 'Legal name'],
      ['addressLine1', 'Address line 1'],
      ['addressLine2', 'Address line 2 (optional)'],
      ['city', 'City'],
      ['region', 'State / region'],
      ['postalCode', 'ZIP or postal code'],
      ['country', 'Country'],
      ['taxId', 'Tax ID'],
    ]);
  });
});

describe('validateProfile', () => {
  it('returns a German profile normalised for storage', () => {
    const typed = {
      ...typedProfile('DE'),
      legalName: '  Example   GmbH ',
      addressLine1: 'Hauptstraße\u00a05',
      addressLine2: '   ',
      city: 'Berlin',
      country: 'germany',
      taxId: 'de 123 456 788',
    };

    expect(validateProfile(typed)).toEqual({
      ok: true,
      profile: {
        legalName: 'Example GmbH',
        addressLine1: 'Hauptstraße 5',
        addressLine2: null,
        city: 'Berlin',
        region: null,
        postalCode: '10115',
        country: 'DE',
        taxId: 'DE123456788',
      },
    });
  });

  it.each(Object.keys(COUNTRY_NEEDS))('gives back the same %s profile when checked again', (c) => {
    const first = validateProfile(typedProfile(c));
    if (!first.ok) throw new Error(JSON.stringify(first.errors));

    expect(validateProfile(first.profile)).toEqual(first);
  });

  it.each([
    ['  Example   Ltd  ', 'Example Ltd'],
    ['\tExample Ltd\n', 'Example Ltd'], // control characters at the ends are trimmed away
    ['Example\u00a0\u2003Ltd', 'Example Ltd'], // no-break and em spaces
    ['Cafe\u0301 Ltd', 'Café Ltd'], // a decomposed accent is stored composed (NFC)
  ])('trims and collapses the whitespace of %j', (typed, stored) => {
    expectStored(typedProfile('DE', { legalName: typed }), 'legalName', stored);
  });

  it.each([
    ['legalName', 'Example\nLtd', 'legal name'],
    ['legalName', 'Example\r\nLtd', 'legal name'],
    ['addressLine1', '1 Example\tStreet', 'address line 1'],
    ['addressLine2', 'Floor\u00003', 'address line 2'],
    ['city', 'Spring\u007ffield', 'city'],
    ['city', 'Spring\u0085field', 'city'], // C1 "next line"
    ['taxId', 'DE123\u009b456788', 'tax ID'],
  ] as const)('refuses a control character in %s (%j)', (field, typed, noun) => {
    const message = `Remove line breaks, tabs or other control characters from the ${noun}.`;
    expectOnlyError(typedProfile('DE', { [field]: typed }), field, message);
  });

  it.each([
    ['legalName', 200, 'Shorten the legal name to 200 characters or fewer.'],
    ['addressLine1', 200, 'Shorten the address line 1 to 200 characters or fewer.'],
    ['addressLine2', 200, 'Shorten the address line 2 to 200 characters or fewer.'],
    ['city', 100, 'Shorten the city to 100 characters or fewer.'],
    ['region', 100, 'Shorten the state / region to 100 characters or fewer.'],
    ['postalCode', 20, 'Shorten the ZIP or postal code to 20 characters or fewer.'],
    ['taxId', 32, 'Shorten the tax ID to 32 characters or fewer.'],
  ] as const)('bounds %s to %i characters', (field, maxLength, message) => {
    // AE: no postal code pattern and a plain tax id check, so only the length can fail.
    const longest = '1'.repeat(maxLength);
    expectStored(typedProfile('AE', { [field]: longest }), field, longest);
    expectOnlyError(typedProfile('AE', { [field]: `${longest}1` }), field, message);
  });

  it('counts an accented letter typed as two code points as one character', () => {
    const legalName = 'e\u0301'.repeat(200);
    expectStored(typedProfile('DE', { legalName }), 'legalName', 'é'.repeat(200));
  });

  it('reports every empty required field at once', () => {
    expect(validateProfile({ addressLine2: 'Floor 3' })).toEqual({
      ok: false,
      errors: {
        legalName: 'Enter the legal name.',
        addressLine1: 'Enter the address line 1.',
        city: 'Enter the city.',
        // Whether a postal code is needed depends on the country, which is missing too.
        country: 'Enter the country.',
        taxId: 'Enter the tax ID.',
      },
    });
  });

  it('reports four bad fields as four errors', () => {
    const typed = typedProfile('US', {
      legalName: 'Example\nInc',
      region: 'Texass',
      postalCode: '7870',
      taxId: '07-1234567',
    });

    expect(validateProfile(typed)).toEqual({
      ok: false,
      errors: {
        legalName: 'Remove line breaks, tabs or other control characters from the legal name.',
        region: 'Enter a US state as its two-letter code or name, e.g. CA or California.',
        postalCode:
          'Enter the postal code in the form used in the United States of America, ' +
          'e.g. 94105 or 94105-1234.',
        taxId:
          'That is not a valid US Employer Identification Number (EIN, e.g. 12-3456789). Check each digit: the number carries a check digit that must match.',
      },
    });
  });

  it('asks for text when a field is not a string', () => {
    const typed = { ...typedProfile('DE'), city: 42 } as unknown as ProfileInput;
    expectOnlyError(typed, 'city', 'Enter the city as text.');
  });
});

describe('validateProfile: country rules', () => {
  it.each([
    ['de', 'DE'],
    ['DEU', 'DE'],
    ['Germany', 'DE'],
    ['USA', 'US'],
  ])('stores the country %j as %s', (typed, code) => {
    expectStored(typedProfile(code, { country: typed }), 'country', code);
  });

  it('checks no postal code, state or tax id against an unknown country', () => {
    const typed = typedProfile('US', {
      country: 'Narnia',
      region: '',
      postalCode: '??',
      taxId: '1',
    });

    expect(validateProfile(typed)).toEqual({
      ok: false,
      errors: {
        country: 'Country not recognised: enter a country name or its two-letter code (e.g. DE).',
      },
    });
  });

  it.each([
    ['US', 'Texas', 'TX'],
    ['CA', 'Québec', 'QC'],
    ['JP', 'Tokyo', 'Tokyo'],
    ['DE', '', null], // optional in Germany
    ['GB', '   ', null],
  ])('stores the %s state / region %j as %j', (country, typed, stored) => {
    expectStored(typedProfile(country, { region: typed }), 'region', stored);
  });

  it.each([
    ['US', '', 'Enter the state / region: addresses in the United States of America need one.'],
    ['AU', '  ', 'Enter the state / region: addresses in Australia need one.'],
    ['JP', null, 'Enter the state / region: addresses in Japan need one.'],
  ])('asks for the state / region in %s when it is %j', (country, typed, message) => {
    expectOnlyError(typedProfile(country, { region: typed }), 'region', message);
  });

  it.each([
    ['GB', ' sw1a   1aa ', 'SW1A 1AA'],
    ['JP', '1000001', '100-0001'],
  ])('stores the %s postal code %j as %j', (country, typed, stored) => {
    expectStored(typedProfile(country, { postalCode: typed }), 'postalCode', stored);
  });

  it.each([
    ['HK', ''], // Hong Kong has no postal codes
    ['AE', '  '],
  ])('leaves the %s postal code empty when it is %j', (country, typed) => {
    expectStored(typedProfile(country, { postalCode: typed }), 'postalCode', null);
  });

  it('asks for the postal code where the country has them', () => {
    const message = 'Enter the postal code: addresses in Germany need one.';
    expectOnlyError(typedProfile('DE', { postalCode: '' }), 'postalCode', message);
  });

  it('says in which form the postal code is written in the country', () => {
    const message = 'Enter the postal code in the form used in Germany, e.g. 10115.';
    expectOnlyError(typedProfile('DE', { postalCode: '1011' }), 'postalCode', message);
  });
});

describe('validateProfile: tax ID', () => {
  it.each([
    ['DE', 'de 123.456.788', 'DE123456788'],
    ['US', '123456789', '12-3456789'],
    ['GB', '123 4567 27', 'GB123456727'],
    ['JP', 't-1234-5678-9012-3', 'T1234567890123'],
  ])('stores %s %j as %j', (country, typed, stored) => {
    expectStored(typedProfile(country, { taxId: typed }), 'taxId', stored);
  });

  it('says which country the number must belong to', () => {
    const message =
      'That is not a valid Dutch VAT number (NL + 9 digits, B and 2 digits, ' +
      'e.g. NL123456789B01). Check each digit: the number carries a check digit that must match.';
    expectOnlyError(typedProfile('NL', { taxId: 'DE123456788' }), 'taxId', message);
  });
});

describe('profileCompleteness', () => {
  const stored: BillingProfileFields = {
    legalName: 'Example Inc',
    addressLine1: '1 Congress Avenue',
    addressLine2: null,
    city: 'Austin',
    region: 'TX',
    postalCode: '78701',
    country: 'US',
    taxId: '12-3456789',
  };

  it.each([
    ['a complete profile', stored, []],
    ['a US profile without a state', { ...stored, region: null }, ['region']],
    ['a German profile without a region', { ...stored, region: null, country: 'DE' }, []],
    ['a profile without a tax ID', { ...stored, taxId: '' }, ['taxId']],
  ])('reports on %s', (_case, profile, missing) => {
    expect(profileCompleteness(profile)).toEqual({ complete: missing.length === 0, missing });
  });

  it('reports every field required everywhere as missing when no profile was saved', () => {
    expect(profileCompleteness(null)).toEqual({
      complete: false,
      missing: ['legalName', 'addressLine1', 'city', 'country', 'taxId'],
    });
  });
});

describe('redactedAddress', () => {
  it.each([
    [{ city: 'Berlin', region: null, country: 'DE' }, 'Berlin, DE'],
    [{ city: 'Austin', region: 'TX', country: 'US' }, 'Austin, TX, US'],
  ])('summarises %j without street, postal code or tax ID', (place, summary) => {
    const profile: BillingProfileFields = {
      legalName: 'Example Ltd',
      addressLine1: '1 Example Street',
      addressLine2: 'Floor 3',
      postalCode: '12345',
      taxId: 'DE123456788',
      ...place,
    };

    expect(redactedAddress(profile)).toBe(summary);
  });
});
