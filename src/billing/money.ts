// Money as exact integers of a currency's ISO 4217 minor unit (`bigint`), and the conversions
// between those integers, what people type in chat, and what we show them. No floats anywhere.

/** An ISO 4217 currency code in lower case, e.g. `usd`. */
export type CurrencyCode = string;

/** The outcome of reading a typed amount: its minor units, or a reason to show the user. */
export type ParseResult = { ok: true; minor: bigint } | { ok: false; reason: string };

// ISO 4217 exponents other than 2. CLDR (and so Intl) disagrees for some codes, e.g. IQD has 3
// decimals in ISO but 0 in CLDR, and HUF or IDR have 2 in ISO but 0 in CLDR.
const MINOR_DIGITS_NOT_TWO: ReadonlyMap<CurrencyCode, number> = new Map([
  ...['bif', 'clp', 'djf', 'gnf', 'isk', 'jpy', 'kmf', 'krw', 'pyg', 'rwf', 'ugx', 'uyi', 'vnd']
    .concat(['vuv', 'xaf', 'xof', 'xpf'])
    .map((code) => [code, 0] as const),
  ...['bhd', 'iqd', 'jod', 'kwd', 'lyd', 'omr', 'tnd'].map((code) => [code, 3] as const),
  ...['clf', 'uyw'].map((code) => [code, 4] as const),
]);

// Caps the work done on a chat message; no real amount needs more characters.
const MAX_INPUT_LENGTH = 32;

// No typed amount (a top-up, a threshold) is anywhere near this, and balances summed from such
// amounts stay far inside the database's 64-bit integers.
const MAX_TYPED_MINOR = 10n ** 17n;

// Optional sign, a prefix marker ($, USD), another optional sign, the number, a suffix marker.
const AMOUNT_SHAPE =
  /^([-\u2212]?)\s*([^\d\s.,\-\u2212]*)\s*([-\u2212]?)\s*([\d., ]*?)\s*([^\d\s.,]*)$/u;

// Whole part of a number: plain digits, or groups of three after a first group without a leading
// zero, all separated by commas or all by spaces. `0,100` is refused: it is a decimal comma.
const WHOLE_PART = /^(?:\d+|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d{0,2}(?: \d{3})+)$/;

let knownCurrencies: ReadonlySet<string> | undefined;
const symbolsByCurrency = new Map<CurrencyCode, ReadonlySet<string>>();

/** True when `code` (any case) is one of the ISO 4217 codes that this runtime's Intl knows. */
export function isKnownCurrency(code: string): boolean {
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  return knownCurrencies.has(code.toUpperCase());
}

/**
 * Lower-cases a currency code after checking it is three letters.
 * @throws RangeError when `code` is not three letters (a programming or configuration error).
 */
export function normalizeCurrency(code: string): CurrencyCode {
  if (/^[a-z]{3}$/i.test(code)) return code.toLowerCase();
  throw new RangeError(`"${code}" is not an ISO 4217 currency code; expected three letters (usd).`);
}

/** Decimal digits of the ISO 4217 minor unit of `currency` (any case): 0, 2, 3 or 4. */
export function minorDigits(currency: string): number {
  return MINOR_DIGITS_NOT_TWO.get(normalizeCurrency(currency)) ?? 2;
}

/**
 * Reads an amount a person typed (`100`, `$100.50`, `1,000 USD`, `€ 25`) in major units of
 * `currency` and returns it in minor units. Refusals carry a reason safe to show in chat that
 * says what to type instead. Zero and negative amounts are refused.
 * @throws RangeError when `currency` is not three letters.
 */
export function parseMajorToMinor(text: string, currency: string): ParseResult {
  const code = normalizeCurrency(currency);
  const codeUpper = code.toUpperCase();
  const example = exampleAmount(minorDigits(code));
  const refuse = (reason: string): ParseResult => ({ ok: false, reason });

  if (text.length > MAX_INPUT_LENGTH) {
    return refuse(`That is too long for an amount. Type just the number, like ${example}.`);
  }
  // Japanese keyboards type full-width digits and ￥, which NFKC turns into ASCII and ¥. Locales
  // write thousands with no-break, narrow and thin spaces (NFKC maps those too; kept explicit).
  const normalized = text.normalize('NFKC').replace(/[\u00a0\u2007\u2009\u202f]/gu, ' ');
  const trimmed = normalized.trim();
  if (trimmed === '') return refuse(`Type an amount, like ${example}.`);
  if (/\d\s*e\s*[-+]?\d/iu.test(trimmed)) {
    return refuse('Write the amount in full digits, like 1000 instead of 1e3.');
  }

  const [, signBefore, prefix, signAfter, digits, suffix] = AMOUNT_SHAPE.exec(trimmed) ?? [];
  if (digits === undefined || digits === '') {
    return refuse(`That is not an amount. Type a number, like ${example}.`);
  }
  for (const marker of [prefix, suffix]) {
    if (marker && !currencySymbols(code).has(marker.toUpperCase())) {
      return refuse(markerReason(marker, codeUpper, example));
    }
  }
  if (signBefore || signAfter) {
    return refuse(`The amount must be more than zero. Type it without a minus, like ${example}.`);
  }

  const minor = parseDigits(digits, code);
  if (typeof minor === 'string') return refuse(minor);
  if (minor === 0n) {
    return refuse(`The amount must be more than zero. Type an amount like ${example}.`);
  }
  if (minor > MAX_TYPED_MINOR) return refuse('That amount is too large; check the digits.');
  return { ok: true, minor };
}

/**
 * {@link parseMajorToMinor}, then a check that the amount lies within the top-up limits, given
 * as major-unit decimal strings of `currency` (from config, e.g. `'5'` and `'10000'`).
 * @throws RangeError when `currency` or a limit is invalid (see {@link majorToMinor}).
 */
export function parseTopUpAmount(
  text: string,
  currency: string,
  limits: { minMajor: string; maxMajor: string },
): ParseResult {
  const parsed = parseMajorToMinor(text, currency);
  if (!parsed.ok) return parsed;

  const minMinor = majorToMinor(limits.minMajor, currency);
  const maxMinor = majorToMinor(limits.maxMajor, currency);
  if (parsed.minor < minMinor) {
    return { ok: false, reason: `The smallest top-up is ${formatMoney(minMinor, currency)}.` };
  }
  if (parsed.minor > maxMinor) {
    return { ok: false, reason: `The largest top-up is ${formatMoney(maxMinor, currency)}.` };
  }
  return parsed;
}

/**
 * Converts a trusted decimal string in major units (`'10'`, `'-0.05'`, `'1.234'`) to minor units
 * of `currency`. No separators, symbols or exponents; zero and negatives are allowed.
 * @throws RangeError when the string is not such a decimal, or has more decimals than the
 * currency's minor unit.
 */
export function majorToMinor(major: string, currency: string): bigint {
  const digitsAllowed = minorDigits(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(major);
  const fraction = match?.[3] ?? '';
  if (!match || fraction.length > digitsAllowed) {
    throw new RangeError(
      `"${major}" is not a ${currency.toUpperCase()} amount: expected a plain decimal with at ` +
        `most ${digitsAllowed} decimals, like "10" or "-0.05".`,
    );
  }

  const magnitude = toMinor(match[2] ?? '0', fraction, digitsAllowed);
  return match[1] === '-' ? -magnitude : magnitude;
}

/**
 * The exact plain decimal of `minor` units of `currency`: 10050n usd is `'100.50'`, -5n usd is
 * `'-0.05'`, 1500n jpy is `'1500'`. No grouping and no symbol.
 */
export function minorToMajorString(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0n ? '-' : '';
  const magnitude = (minor < 0n ? -minor : minor).toString().padStart(digits + 1, '0');
  if (digits === 0) return `${sign}${magnitude}`;

  const wholeEnd = magnitude.length - digits;
  return `${sign}${magnitude.slice(0, wholeEnd)}.${magnitude.slice(wholeEnd)}`;
}

/**
 * Formats `minor` units of `currency` for people, e.g. 123456n usd is `'$1,234.56'`, always with
 * exactly the ISO 4217 number of decimals. Exact for any size: Intl gets a decimal string.
 */
export function formatMoney(minor: bigint, currency: string, locale = 'en-US'): string {
  const digits = minorDigits(currency);
  const formatter = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return formatter.format(minorToMajorString(minor, currency) as Intl.StringNumericLiteral);
}

/** A `JSON.stringify` replacer that writes each `bigint` as a decimal string: 10050n, `"10050"`. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** `JSON.stringify` with {@link jsonReplacer}; `'null'` when `value` has no JSON form at all. */
export function toJson(value: unknown): string {
  // JSON.stringify returns undefined for undefined, functions and symbols, despite its type.
  return JSON.stringify(value, jsonReplacer) ?? 'null';
}

// The code and the English symbols of `code` (USD: `USD`, `$`, `US$`), in upper case.
function currencySymbols(code: CurrencyCode): ReadonlySet<string> {
  const cached = symbolsByCurrency.get(code);
  if (cached) return cached;

  const symbols = new Set([code.toUpperCase()]);
  for (const locale of ['en-US', 'en-GB']) {
    for (const currencyDisplay of ['symbol', 'narrowSymbol'] as const) {
      const options = { style: 'currency', currency: code, currencyDisplay } as const;
      const parts = new Intl.NumberFormat(locale, options).formatToParts(0);
      const symbol = parts.find((part) => part.type === 'currency')?.value;
      if (symbol) symbols.add(symbol.toUpperCase());
    }
  }
  symbolsByCurrency.set(code, symbols);
  return symbols;
}

// A marker that looks like another currency gets a mismatch reason; anything else is not an
// amount. Only short letter-and-symbol markers are echoed, so a reply never repeats chat markup
// such as `<!here>` back to the channel.
function markerReason(marker: string, codeUpper: string, example: string): string {
  const looksLikeCurrency = /\p{Sc}/u.test(marker) || isKnownCurrency(marker);
  if (looksLikeCurrency && /^[\p{L}\p{Sc}]{1,4}$/u.test(marker)) {
    return (
      `This account pays in ${codeUpper}, not ${marker}. ` +
      `Type the amount in ${codeUpper}, like ${example}.`
    );
  }
  return `That is not an amount. Type a number, like ${example}.`;
}

// The number part of a typed amount, in minor units, or the reason it is refused.
function parseDigits(digits: string, code: CurrencyCode): bigint | string {
  const digitsAllowed = minorDigits(code);
  const [whole = '', fraction, extra] = digits.split('.');
  const decimalComma = /^(\d+(?:[, ]\d{3})*),(\d{1,2})$/.exec(whole);
  if (fraction === undefined && decimalComma) {
    const suggestion = `${decimalComma[1]?.replace(/[, ]/g, '')}.${decimalComma[2]}`;
    return `Use a dot for decimals: type ${suggestion}, not ${digits}.`;
  }
  if (extra !== undefined || !WHOLE_PART.test(whole || '0') || fraction === '') {
    const example = exampleAmount(digitsAllowed);
    return `"${digits}" is not a number we can read. Type it like 1,000 or ${example}.`;
  }

  // Extra decimals are refused even when zero: `1.000` may be a European one thousand.
  const fractionDigits = fraction ?? '';
  if (fractionDigits.length > digitsAllowed) {
    const codeUpper = code.toUpperCase();
    return digitsAllowed === 0
      ? `${codeUpper} amounts are whole numbers. Type it without decimals, like 1500.`
      : `${codeUpper} amounts have at most ${digitsAllowed} decimals. ` +
          `Type it like ${exampleAmount(digitsAllowed)}.`;
  }
  return toMinor(whole.replace(/[, ]/g, '') || '0', fractionDigits, digitsAllowed);
}

// An amount to show in reasons, with as many decimals as the currency allows.
function exampleAmount(digits: number): string {
  return digits === 0 ? '1500' : `25.${'5'.padEnd(digits, '0')}`;
}

// Whole and fraction digit strings to minor units; `fraction` is at most `digits` long.
function toMinor(whole: string, fraction: string, digits: number): bigint {
  return BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
}
