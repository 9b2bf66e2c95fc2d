import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import { postcodeValidator, postcodeValidatorExistsForCountry } from 'postcode-validator';

// The package's Node entry registers every locale on import; registering English here keeps the
// lookups working if a bundler picks its browser entry, which registers none.
countries.registerLocale(en);

// The library's official name for TW carries a political claim that does not belong on a
// customer's invoice.
const NAME_OVERRIDES: Record<string, string> = { TW: 'Taiwan' };

// Names that read wrongly in a sentence without "the" ("in the form used in the Netherlands").
const NAMES_WITH_THE = new Set(['AE', 'BS', 'CF', 'DO', 'GB', 'GM', 'KY', 'MH', 'NL', 'PH', 'US']);

/**
 * Resolves what a user typed as a country to its ISO 3166-1 alpha-2 code, upper case.
 * Accepts an alpha-2 code (`de`), an alpha-3 code (`DEU`) or an English name or common alternative
 * name known to i18n-iso-countries (`Germany`, `USA`, `United Kingdom`), ignoring case and accents.
 * Returns null when nothing matches.
 */
export function resolveCountry(text: string): string | null {
  const typed = text.trim();

  if (/^[A-Za-z]{2}$/.test(typed) && countries.isValid(typed.toUpperCase())) {
    return typed.toUpperCase();
  }

  if (/^[A-Za-z]{3}$/.test(typed)) {
    const fromAlpha3 = countries.alpha3ToAlpha2(typed.toUpperCase());
    if (fromAlpha3 !== undefined) return fromAlpha3;
  }

  return countries.getSimpleAlpha2Code(typed, 'en') ?? null;
}

/**
 * The English name of an ISO 3166-1 alpha-2 code as printed on invoices (`DE` → `Germany`).
 * Returns the code itself when the library does not know it, so a caller never prints nothing.
 */
export function countryName(code: string): string {
  const upper = code.toUpperCase();
  return NAME_OVERRIDES[upper] ?? countries.getName(upper, 'en') ?? upper;
}

/**
 * The country's name as it reads inside a sentence: `the Netherlands`, `Germany`.
 */
export function countryInSentence(code: string): string {
  const name = countryName(code);
  return NAMES_WITH_THE.has(code.toUpperCase()) ? `the ${name}` : name;
}

/**
 * Every country i18n-iso-countries knows (ISO 3166-1, plus XK for Kosovo), as alpha-2 codes with
 * English names, sorted by name for a select menu.
 */
export function listCountries(): { code: string; name: string }[] {
  const codes = Object.keys(countries.getAlpha2Codes());

  return codes
    .map((code) => ({ code, name: countryName(code) }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

// Postal services of these countries route on the state or province, so invoices need it.
const REGION_REQUIRED = new Set(['US', 'CA', 'AU', 'IN', 'BR', 'MX', 'JP', 'CN']);

// USPS codes: the states, DC, the inhabited territories and the armed forces' postal regions.
const US_STATES: Record<string, string> = {
  AL: 'Alabama',
  AK: 'Alaska',
  AZ: 'Arizona',
  AR: 'Arkansas',
  CA: 'California',
  CO: 'Colorado',
  CT: 'Connecticut',
  DE: 'Delaware',
  DC: 'District of Columbia',
  FL: 'Florida',
  GA: 'Georgia',
  HI: 'Hawaii',
  ID: 'Idaho',
  IL: 'Illinois',
  IN: 'Indiana',
  IA: 'Iowa',
  KS: 'Kansas',
  KY: 'Kentucky',
  LA: 'Louisiana',
  ME: 'Maine',
  MD: 'Maryland',
  MA: 'Massachusetts',
  MI: 'Michigan',
  MN: 'Minnesota',
  MS: 'Mississippi',
  MO: 'Missouri',
  MT: 'Montana',
  NE: 'Nebraska',
  NV: 'Nevada',
  NH: 'New Hampshire',
  NJ: 'New Jersey',
  NM: 'New Mexico',
  NY: 'New York',
  NC: 'North Carolina',
  ND: 'North Dakota',
  OH: 'Ohio',
  OK: 'Oklahoma',
  OR: 'Oregon',
  PA: 'Pennsylvania',
  RI: 'Rhode Island',
  SC: 'South Carolina',
  SD: 'South Dakota',
  TN: 'Tennessee',
  TX: 'Texas',
  UT: 'Utah',
  VT: 'Vermont',
  VA: 'Virginia',
  WA: 'Washington',
  WV: 'West Virginia',
  WI: 'Wisconsin',
  WY: 'Wyoming',
  AS: 'American Samoa',
  GU: 'Guam',
  MP: 'Northern Mariana Islands',
  PR: 'Puerto Rico',
  VI: 'U.S. Virgin Islands',
  AA: 'Armed Forces Americas',
  AE: 'Armed Forces Europe',
  AP: 'Armed Forces Pacific',
};

// Canada Post codes of the ten provinces and three territories.
const CA_PROVINCES: Record<string, string> = {
  AB: 'Alberta',
  BC: 'British Columbia',
  MB: 'Manitoba',
  NB: 'New Brunswick',
  NL: 'Newfoundland and Labrador',
  NS: 'Nova Scotia',
  NT: 'Northwest Territories',
  NU: 'Nunavut',
  ON: 'Ontario',
  PE: 'Prince Edward Island',
  QC: 'Quebec',
  SK: 'Saskatchewan',
  YT: 'Yukon',
};

const CODED_REGIONS: Record<string, { list: Record<string, string>; message: string }> = {
  US: {
    list: US_STATES,
    message: 'Enter a US state as its two-letter code or name, e.g. CA or California.',
  },
  CA: {
    list: CA_PROVINCES,
    message:
      'Enter a Canadian province or territory as its two-letter code or name, e.g. ON or Ontario.',
  },
};

/**
 * Whether addresses in the country (alpha-2, upper case) need a state, province or region.
 */
export function regionRequired(country: string): boolean {
  return REGION_REQUIRED.has(country);
}

/**
 * Checks a state or region for the country. For US and CA it must name a known state, province or
 * territory by code or name, and the two-letter code is returned; elsewhere the text is kept as
 * typed. The text must already be trimmed and non-empty.
 */
export function resolveRegion(
  country: string,
  text: string,
): { ok: true; value: string } | { ok: false; message: string } {
  const coded = CODED_REGIONS[country];
  if (coded === undefined) return { ok: true, value: text };

  const typed = comparable(text);
  for (const [code, name] of Object.entries(coded.list)) {
    if (typed === code.toLowerCase() || typed === comparable(name))
      return { ok: true, value: code };
  }

  return { ok: false, message: coded.message };
}

/** Lower case without accents or dots, so that `Québec`, `quebec` and `N.Y.` match the lists. */
function comparable(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\./g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

// National layouts, applied before checking so that `sw1a1aa` is stored as `SW1A 1AA`: invoices
// and address checks downstream expect the form the post office prints.
const POSTAL_CODE_LAYOUTS: Record<string, [RegExp, string]> = {
  GB: [/^([A-Z0-9]{2,4}) ?([0-9][A-Z]{2})$/, '$1 $2'],
  CA: [/^([A-Z][0-9][A-Z]) ?([0-9][A-Z][0-9])$/, '$1 $2'],
  NL: [/^([0-9]{4}) ?([A-Z]{2})$/, '$1 $2'],
  JP: [/^([0-9]{3})-?([0-9]{4})$/, '$1-$2'],
};

const POSTAL_CODE_EXAMPLES: Record<string, string> = {
  AT: '1010',
  AU: '2000',
  BE: '1000',
  BR: '01310-100',
  CA: 'K1A 0B6',
  CH: '8001',
  CN: '100000',
  DE: '10115',
  ES: '28001',
  FR: '75001',
  GB: 'SW1A 1AA',
  IE: 'D02 X285',
  IN: '110001',
  IT: '00184',
  JP: '100-0001',
  MX: '06000',
  NL: '1012 AB',
  PL: '00-001',
  SE: '111 22',
  US: '94105 or 94105-1234',
};

/**
 * Whether addresses in the country need a postal code: where postcode-validator knows the
 * country's format. Elsewhere (Hong Kong, the United Arab Emirates, …) it may be left empty.
 */
export function postalCodeRequired(country: string): boolean {
  return postcodeValidatorExistsForCountry(country);
}

/**
 * Checks a postal code (trimmed) for the country and returns it upper case, in the national
 * layout where one is known: `sw1a1aa` → `SW1A 1AA`, `1000001` → `100-0001`; null when left
 * empty where none is needed. Countries without a pattern in postcode-validator get a check of
 * the characters only.
 */
export function checkPostalCode(
  country: string,
  text: string,
): { ok: true; value: string | null } | { ok: false; message: string } {
  if (text === '') {
    if (!postalCodeRequired(country)) return { ok: true, value: null };
    return {
      ok: false,
      message: `Enter the postal code: addresses in ${countryInSentence(country)} need one.`,
    };
  }
  const layout = POSTAL_CODE_LAYOUTS[country];
  const postalCode = layout ? text.toUpperCase().replace(...layout) : text.toUpperCase();

  // Where the library has no pattern (many countries have no postal codes at all), only the
  // characters are checked.
  if (!postcodeValidatorExistsForCountry(country)) {
    return /^[A-Z0-9 -]+$/.test(postalCode)
      ? { ok: true, value: postalCode }
      : { ok: false, message: 'Use only letters, digits, spaces and hyphens in the postal code.' };
  }

  if (postcodeValidator(postalCode, country)) return { ok: true, value: postalCode };

  const example = POSTAL_CODE_EXAMPLES[country];
  const where = countryInSentence(country);
  const message = `Enter the postal code in the form used in ${where}`;
  return { ok: false, message: example ? `${message}, e.g. ${example}.` : `${message}.` };
}
