import { describe, expect, it } from 'vitest';
import {
  formatMoney,
  isKnownCurrency,
  jsonReplacer,
  majorToMinor,
  minorDigits,
  minorToMajorString,
  parseMajorToMinor,
  parseTopUpAmount,
  toJson,
} from '../../src/billing/money.ts';

describe('minorDigits', () => {
  it.each([
    ['usd', 2],
    ['USD', 2], // any case
    ['eur', 2],
    ['jpy', 0],
    ['krw', 0],
    ['bhd', 3],
    ['kwd', 3],
    ['iqd', 3], // CLDR says 0; ISO 4217 says 3
    ['huf', 2], // CLDR says 0; ISO 4217 says 2
    ['clf', 4],
    ['uyw', 4],
  ])('gives %s %i decimals', (currency, expectedDigits) => {
    expect(minorDigits(currency)).toBe(expectedDigits);
  });

  it('throws on a code that is not three letters', () => {
    expect(() => minorDigits('dollar')).toThrow(RangeError);
  });
});

describe('isKnownCurrency', () => {
  it.each([
    ['usd', true],
    ['EUR', true],
    ['Jpy', true],
    ['xyz', false],
    ['us', false],
    ['', false],
    ['clf', false], // an ISO 4217 fund code that Intl.supportedValuesOf does not list
  ])('says %s is known: %s', (code, expectedKnown) => {
    expect(isKnownCurrency(code)).toBe(expectedKnown);
  });
});

describe('parseMajorToMinor', () => {
  it.each([
    ['100', 'usd', 10000n],
    ['100.50', 'usd', 10050n],
    ['100.5', 'usd', 10050n], // one decimal is tenths
    ['.50', 'usd', 50n],
    ['$100', 'usd', 10000n],
    ['US$5', 'usd', 500n], // the en-GB symbol
    ['100 USD', 'usd', 10000n],
    ['USD 100', 'usd', 10000n],
    ['usd100', 'USD', 10000n], // markers and the currency argument in any case
    ['€ 25', 'eur', 2500n],
    ['25 €', 'eur', 2500n],
    ['$5', 'cad', 500n], // `$` is the narrow symbol of every dollar
    ['1,000', 'usd', 100000n], // comma and three digits: a thousands separator
    ['1 000', 'usd', 100000n],
    ['1\u00a0000', 'usd', 100000n], // no-break space
    ['1\u2009000', 'usd', 100000n], // thin space
    ['1\u202f000', 'eur', 100000n], // narrow no-break space, as fr-FR writes it
    ['1,000.25', 'usd', 100025n],
    ['1,234,567.89', 'usd', 123456789n],
    ['  42  ', 'usd', 4200n],
    ['1500', 'jpy', 1500n],
    ['¥1,500', 'jpy', 1500n],
    ['\uffe5\uff11\uff15\uff10\uff10', 'jpy', 1500n], // full-width ￥1500 from a Japanese keyboard
    ['₩1,500', 'krw', 1500n],
    ['1 000 000', 'krw', 1000000n],
    ['0.001', 'bhd', 1n],
    ['BHD 12.345', 'bhd', 12345n],
    ['1.234 KWD', 'kwd', 1234n],
    ['1.2', 'kwd', 1200n],
    ['90071992547409.93', 'usd', 9007199254740993n], // above Number.MAX_SAFE_INTEGER, exact
    ['00000000000000000000000000000001', 'usd', 100n], // exactly the 32-character cap
  ])('reads %j in %s as %s minor units', (text, currency, expectedMinor) => {
    expect(parseMajorToMinor(text, currency)).toEqual({ ok: true, minor: expectedMinor });
  });

  it.each([
    ['', 'usd', 'Type an amount, like 25.50.'],
    ['   ', 'usd', 'Type an amount, like 25.50.'],
    ['0', 'usd', 'must be more than zero'],
    ['0.00', 'usd', 'must be more than zero'],
    ['-5', 'usd', 'must be more than zero. Type it without a minus'],
    ['\u22125', 'usd', 'without a minus'], // the typographic minus sign
    ['$-5', 'usd', 'without a minus'],
    ['1e3', 'usd', 'like 1000 instead of 1e3'],
    ['2E-2', 'usd', 'like 1000 instead of 1e3'],
    ['abc', 'usd', 'That is not an amount. Type a number, like 25.50.'],
    ['12abc34', 'usd', 'is not an amount'],
    ['+5', 'usd', 'is not an amount'],
    ['<!here>$5', 'usd', 'That is not an amount.'], // chat markup is never echoed back
    ['100.999', 'usd', 'USD amounts have at most 2 decimals. Type it like 25.50.'],
    ['10.5', 'jpy', 'JPY amounts are whole numbers. Type it without decimals, like 1500.'],
    ['1.000', 'jpy', 'JPY amounts are whole numbers'], // maybe a European 1000; never 1 yen
    ['1.5', 'krw', 'KRW amounts are whole numbers'],
    ['1.2345', 'kwd', 'KWD amounts have at most 3 decimals. Type it like 25.500.'],
    ['10.500', 'eur', 'EUR amounts have at most 2 decimals'], // maybe a European 10500
    ['€10', 'usd', 'This account pays in USD, not €. Type the amount in USD, like 25.50.'],
    ['10 EUR', 'usd', 'This account pays in USD, not EUR.'],
    ['CA$5', 'usd', 'This account pays in USD, not CA$.'],
    ['$5', 'eur', 'This account pays in EUR, not $.'],
    ['10,50', 'usd', 'Use a dot for decimals: type 10.50, not 10,50.'],
    ['10,5', 'eur', 'Use a dot for decimals: type 10.5, not 10,5.'],
    ['1,00', 'usd', 'Use a dot for decimals: type 1.00, not 1,00.'], // not a group of three
    ['1 000,50', 'eur', 'Use a dot for decimals: type 1000.50, not 1 000,50.'],
    ['1,0000', 'usd', '"1,0000" is not a number we can read. Type it like 1,000 or 25.50.'],
    ['1,0000', 'jpy', 'Type it like 1,000 or 1500.'],
    ['0,100', 'usd', 'is not a number we can read'], // a decimal comma, not a thousand
    ['1,000 000', 'usd', 'is not a number we can read'], // mixed separators
    ['1.2.3', 'usd', 'is not a number we can read'],
    ['5.', 'usd', 'is not a number we can read'],
    ['000000000000000000000000000000001', 'usd', 'That is too long for an amount.'], // 33 chars
  ])('refuses %j in %s, saying %j', (text, currency, expectedReason) => {
    expect(parseMajorToMinor(text, currency)).toEqual({
      ok: false,
      reason: expect.stringContaining(expectedReason),
    });
  });
});

describe('parseTopUpAmount', () => {
  const usdLimits = { minMajor: '5', maxMajor: '10000' };
  const jpyLimits = { minMajor: '500', maxMajor: '100000' };
  const kwdLimits = { minMajor: '1', maxMajor: '300.5' };

  it.each([
    ['4.99', 'usd', usdLimits, { ok: false, reason: 'The smallest top-up is $5.00.' }],
    ['5', 'usd', usdLimits, { ok: true, minor: 500n }],
    ['5.01', 'usd', usdLimits, { ok: true, minor: 501n }],
    ['9,999.99', 'usd', usdLimits, { ok: true, minor: 999999n }],
    ['$10,000', 'usd', usdLimits, { ok: true, minor: 1000000n }],
    ['10000.01', 'usd', usdLimits, { ok: false, reason: 'The largest top-up is $10,000.00.' }],
    ['499', 'jpy', jpyLimits, { ok: false, reason: 'The smallest top-up is ¥500.' }],
    ['500', 'jpy', jpyLimits, { ok: true, minor: 500n }],
    ['100000', 'jpy', jpyLimits, { ok: true, minor: 100000n }],
    ['100001', 'jpy', jpyLimits, { ok: false, reason: 'The largest top-up is ¥100,000.' }],
    // Intl separates a code from the number with a no-break space.
    ['0.999', 'kwd', kwdLimits, { ok: false, reason: 'The smallest top-up is KWD\u00a01.000.' }],
    ['1', 'kwd', kwdLimits, { ok: true, minor: 1000n }],
    ['300.5', 'kwd', kwdLimits, { ok: true, minor: 300500n }],
    ['300.501', 'kwd', kwdLimits, { ok: false, reason: 'The largest top-up is KWD\u00a0300.500.' }],
  ])('reads %j in %s within %o as %o', (text, currency, limits, expected) => {
    expect(parseTopUpAmount(text, currency, limits)).toEqual(expected);
  });

  it('passes on the reason of an unreadable amount', () => {
    expect(parseTopUpAmount('€10', 'usd', usdLimits)).toEqual({
      ok: false,
      reason: 'This account pays in USD, not €. Type the amount in USD, like 25.50.',
    });
  });
});

describe('majorToMinor', () => {
  it.each([
    ['5', 'usd', 500n],
    ['10000', 'usd', 1000000n],
    ['0.05', 'usd', 5n],
    ['-0.05', 'usd', -5n],
    ['0', 'usd', 0n],
    ['1500', 'jpy', 1500n],
    ['1.234', 'kwd', 1234n],
    ['1.5', 'bhd', 1500n],
    ['9007199254740993', 'jpy', 9007199254740993n], // above Number.MAX_SAFE_INTEGER, exact
  ])('converts %j %s to %s minor units', (major, currency, expectedMinor) => {
    expect(majorToMinor(major, currency)).toBe(expectedMinor);
  });

  it.each([
    ['', 'usd'],
    ['1,000', 'usd'], // config values carry no separators
    ['$5', 'usd'],
    ['1e3', 'usd'],
    ['5.', 'usd'],
    ['0.001', 'usd'],
    ['1.5', 'jpy'],
  ])('throws on %j in %s', (major, currency) => {
    expect(() => majorToMinor(major, currency)).toThrow(RangeError);
  });
});

describe('minorToMajorString', () => {
  it.each([
    [10050n, 'usd', '100.50'],
    [5n, 'usd', '0.05'],
    [-5n, 'usd', '-0.05'],
    [0n, 'usd', '0.00'],
    [1500n, 'jpy', '1500'],
    [-1500n, 'krw', '-1500'],
    [1234n, 'kwd', '1.234'],
    [1n, 'bhd', '0.001'],
    [12345n, 'clf', '1.2345'],
    [9007199254740993n, 'usd', '90071992547409.93'], // above Number.MAX_SAFE_INTEGER, exact
  ])('writes %s %s as %j', (minor, currency, expectedMajor) => {
    expect(minorToMajorString(minor, currency)).toBe(expectedMajor);
  });
});

describe('formatMoney', () => {
  it.each([
    [0n, 'usd', 'en-US', '$0.00'],
    [123456n, 'usd', 'en-US', '$1,234.56'],
    [123456n, 'USD', 'en-US', '$1,234.56'],
    [-500n, 'usd', 'en-US', '-$5.00'],
    [100n, 'usd', 'en-GB', 'US$1.00'],
    [1500n, 'jpy', 'en-US', '¥1,500'],
    [1500n, 'jpy', 'ja-JP', '\uffe51,500'], // Japanese uses the full-width yen sign
    [1500n, 'krw', 'en-US', '₩1,500'],
    [2500n, 'eur', 'en-US', '€25.00'],
    [2500n, 'eur', 'de-DE', '25,00\u00a0€'], // no-break space before the sign
    [123450n, 'eur', 'fr-FR', '1\u202f234,50\u00a0€'], // narrow no-break space for thousands
    [1234n, 'kwd', 'en-US', 'KWD\u00a01.234'], // a code, not a symbol, then a no-break space
    [-1234n, 'kwd', 'en-US', '-KWD\u00a01.234'],
    [1n, 'bhd', 'en-US', 'BHD\u00a00.001'],
    [1000n, 'iqd', 'en-US', 'IQD\u00a01.000'], // ISO's 3 decimals, not CLDR's 0
    [100n, 'huf', 'en-US', 'HUF\u00a01.00'], // ISO's 2 decimals, not CLDR's 0
    [9007199254740993n, 'usd', 'en-US', '$90,071,992,547,409.93'], // beyond a double's precision
  ])('formats %s %s in %s as %j', (minor, currency, locale, expectedText) => {
    expect(formatMoney(minor, currency, locale)).toBe(expectedText);
  });

  it('formats in en-US by default', () => {
    expect(formatMoney(123456n, 'usd')).toBe('$1,234.56');
  });
});

describe('jsonReplacer and toJson', () => {
  const topUp = { balanceMinor: 9007199254740993n, currency: 'usd', creditsMinor: [1n, -5n] };
  const expectedJson =
    '{"balanceMinor":"9007199254740993","currency":"usd","creditsMinor":["1","-5"]}';

  it('writes bigints as decimal strings, through JSON.stringify or toJson', () => {
    expect(JSON.stringify(topUp, jsonReplacer)).toBe(expectedJson);
    expect(toJson(topUp)).toBe(expectedJson);
  });

  it('writes a bare bigint and undefined', () => {
    expect(toJson(10050n)).toBe('"10050"');
    expect(toJson(undefined)).toBe('null'); // JSON.stringify would return undefined
  });
});
