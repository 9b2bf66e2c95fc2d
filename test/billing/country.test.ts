import { describe, expect, it } from 'vitest';
import {
  checkPostalCode,
  countryName,
  listCountries,
  regionRequired,
  resolveCountry,
  resolveRegion,
} from '../../src/billing/country.ts';

describe('resolveCountry', () => {
  it.each([
    ['DE', 'DE'],
    ['de', 'DE'],
    ['DEU', 'DE'],
    ['deu', 'DE'],
    ['Germany', 'DE'],
    ['GERMANY', 'DE'],
    ['United States of America', 'US'],
    ['United States', 'US'],
    ['USA', 'US'],
    ['UK', 'GB'], // not an ISO code, but a name the library knows
    ['Great Britain', 'GB'],
    ['The Netherlands', 'NL'],
    ['Turkey', 'TR'],
    ["Cote d'Ivoire", 'CI'], // accents optional
  ])('resolves %j to %s', (typed, code) => {
    expect(resolveCountry(typed)).toBe(code);
  });

  it.each([
    'Narnia',
    'XX',
    'EL', // Greece's VAT prefix, not a country code
    'Deutschland', // English names only
    '276', // numeric codes are not offered
  ])('does not recognise %j', (typed) => {
    expect(resolveCountry(typed)).toBeNull();
  });
});

describe('countryName', () => {
  it.each([
    ['DE', 'Germany'],
    ['us', 'United States of America'],
    ['TW', 'Taiwan'],
    ['ZZ', 'ZZ'], // unknown codes come back as they are
  ])('names %s %j', (code, name) => {
    expect(countryName(code)).toBe(name);
  });
});

describe('listCountries', () => {
  it('lists every ISO country once, sorted by English name', () => {
    const listed = listCountries();
    const names = listed.map(({ name }) => name);

    expect(listed).toHaveLength(250);
    expect(new Set(listed.map(({ code }) => code)).size).toBe(250);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    expect(listed.slice(0, 3)).toEqual([
      { code: 'AF', name: 'Afghanistan' },
      { code: 'AX', name: 'Åland Islands' },
      { code: 'AL', name: 'Albania' },
    ]);
    expect(listed).toContainEqual({ code: 'DE', name: 'Germany' });
  });
});

describe('regionRequired', () => {
  it.each([
    ['US', true],
    ['CA', true],
    ['AU', true],
    ['IN', true],
    ['BR', true],
    ['MX', true],
    ['JP', true],
    ['CN', true],
    ['DE', false],
    ['GB', false],
  ])('says %s needs a region: %s', (country, required) => {
    expect(regionRequired(country)).toBe(required);
  });
});

describe('resolveRegion', () => {
  it.each([
    ['US', 'tx', 'TX'],
    ['US', 'Texas', 'TX'],
    ['US', 'new york', 'NY'],
    ['US', 'N.Y.', 'NY'],
    ['US', 'District of Columbia', 'DC'],
    ['US', 'Puerto Rico', 'PR'],
    ['CA', 'on', 'ON'],
    ['CA', 'Québec', 'QC'],
    ['CA', 'quebec', 'QC'],
    ['AU', 'New South Wales', 'New South Wales'], // kept as typed outside the US and Canada
    ['JP', 'Tokyo', 'Tokyo'],
    ['DE', 'Bayern', 'Bayern'],
  ])('resolves %s %j to %j', (country, typed, region) => {
    expect(resolveRegion(country, typed)).toEqual({ ok: true, value: region });
  });

  it.each([
    ['US', 'Texass', 'Enter a US state as its two-letter code or name, e.g. CA or California.'],
    ['US', 'XX', 'Enter a US state as its two-letter code or name, e.g. CA or California.'],
    ['US', 'ON', 'Enter a US state as its two-letter code or name, e.g. CA or California.'],
    [
      'CA',
      'Alberto',
      'Enter a Canadian province or territory as its two-letter code or name, e.g. ON or Ontario.',
    ],
    [
      'CA',
      'TX',
      'Enter a Canadian province or territory as its two-letter code or name, e.g. ON or Ontario.',
    ],
  ])('refuses %s %j', (country, typed, message) => {
    expect(resolveRegion(country, typed)).toEqual({ ok: false, message });
  });
});

describe('checkPostalCode', () => {
  it.each([
    ['US', '78701', '78701'],
    ['US', '78701-1234', '78701-1234'],
    ['GB', 'SW1A 1AA', 'SW1A 1AA'],
    ['GB', 'sw1a1aa', 'SW1A 1AA'],
    ['GB', 'm1 1ae', 'M1 1AE'],
    ['DE', '10115', '10115'],
    ['DE', '01067', '01067'],
    ['CA', 'k1a0b6', 'K1A 0B6'],
    ['CA', 'K1A 0B6', 'K1A 0B6'],
    ['NL', '1012ab', '1012 AB'],
    ['NL', '1012 AB', '1012 AB'],
    ['JP', '100-0001', '100-0001'],
    ['JP', '1000001', '100-0001'],
    // The United Arab Emirates have no pattern in postcode-validator: characters only.
    ['AE', '00000', '00000'],
    ['AE', 'po box 12-3', 'PO BOX 12-3'],
  ])('accepts %s %j as %j', (country, typed, stored) => {
    expect(checkPostalCode(country, typed)).toEqual({ ok: true, value: stored });
  });

  it.each([
    ['US', '7870', 'the United States of America, e.g. 94105 or 94105-1234'],
    ['US', '78701-12', 'the United States of America, e.g. 94105 or 94105-1234'],
    ['GB', 'SW1A', 'the United Kingdom, e.g. SW1A 1AA'],
    ['DE', '1011', 'Germany, e.g. 10115'],
    ['DE', '10115-1', 'Germany, e.g. 10115'],
    ['CA', 'D1A 0B6', 'Canada, e.g. K1A 0B6'], // no postal district starts with D
    ['NL', '1012 A', 'the Netherlands, e.g. 1012 AB'],
    ['JP', '100-001', 'Japan, e.g. 100-0001'],
    ['NO', '12345', 'Norway'], // a pattern but no example of ours
  ])('refuses %s %j', (country, typed, formAndExample) => {
    const message = `Enter the postal code in the form used in ${formAndExample}.`;
    expect(checkPostalCode(country, typed)).toEqual({ ok: false, message });
  });

  it.each(['12_34', 'Box #5', 'Ünter 1'])('refuses %j where no pattern is known (AE)', (typed) => {
    const message = 'Use only letters, digits, spaces and hyphens in the postal code.';
    expect(checkPostalCode('AE', typed)).toEqual({ ok: false, message });
  });
});
