import { describe, expect, it } from 'vitest';
import { BillingError } from '../../src/billing/errors.ts';
import { fromStripeAmount, toStripeAmount } from '../../src/stripe/amounts.ts';

describe('toStripeAmount', () => {
  it.each([
    // [our minor units, currency, Stripe's amount]
    [10_000n, 'usd', 10_000], // $100.00 is 10000 cents for both
    [5_000n, 'jpy', 5_000], // ¥5000: zero-decimal in ISO 4217 and at Stripe
    [150_000n, 'krw', 150_000], // ₩150,000: zero-decimal
    [1_000n, 'isk', 100_000], // 1,000 krónur: Stripe keeps ISK two-decimal, whole krónur only
    [10_500n, 'kwd', 10_500], // 10.500 KWD: three decimals, last digit 0 as Stripe requires
    [25_000n, 'bhd', 25_000], // 25.000 BHD
  ])('sends %s %s as %s', (minor, currency, expected) => {
    expect(toStripeAmount(minor, currency)).toBe(expected);
  });

  it('refuses a three-decimal amount Stripe would refuse, naming one it accepts', () => {
    const attempt = () => toStripeAmount(10_505n, 'kwd');

    expect(attempt).toThrow(BillingError);
    try {
      attempt();
    } catch (error) {
      expect((error as BillingError).code).toBe('invalid_amount');
      // Intl puts a no-break space between the code and the number.
      expect((error as BillingError).userMessage).toBe(
        'Card payments in KWD go in steps of 0.010; try KWD\u00a010.500.',
      );
    }
  });
});

describe('fromStripeAmount', () => {
  it.each([
    [11_900, 'usd', 11_900n],
    [5_000, 'jpy', 5_000n],
    [100_000, 'isk', 1_000n],
    [10_500, 'kwd', 10_500n],
  ])('reads Stripe %s %s as %s of our minor units', (amount, currency, expected) => {
    expect(fromStripeAmount(amount, currency)).toBe(expected);
  });

  it('has no exact value for fractional krónur', () => {
    expect(fromStripeAmount(100_050, 'isk')).toBeNull();
  });
});
