// Amounts as Stripe's API states them. Stripe mostly uses ISO 4217 minor units, as we do, with
// documented exceptions: ISK is two-decimal in its API (whole krónur, so multiples of 100), and
// three-decimal currencies must end in 0. Every conversion is exact or refused.
import { BillingError } from '../billing/errors.ts';
import { formatMoney, minorDigits } from '../billing/money.ts';

// Currencies whose Stripe amount has more decimals than ISO 4217 gives them.
const EXTRA_STRIPE_DIGITS: ReadonlyMap<string, number> = new Map([['isk', 2]]);

function scale(currency: string): bigint {
  return 10n ** BigInt(EXTRA_STRIPE_DIGITS.get(currency.toLowerCase()) ?? 0);
}

/**
 * Our minor units of `currency` as the amount Stripe's API expects.
 * @throws BillingError (`invalid_amount`) for a three-decimal amount not ending in 0, which
 * Stripe refuses; the message says which amounts work.
 */
export function toStripeAmount(minor: bigint, currency: string): number {
  if (minorDigits(currency) === 3 && minor % 10n !== 0n) {
    const lower = formatMoney(minor - (minor % 10n), currency);
    throw new BillingError(
      'invalid_amount',
      `Stripe refuses ${currency.toUpperCase()} amounts not ending in 0: ${minor}`,
      `Card payments in ${currency.toUpperCase()} go in steps of 0.010; try ${lower}.`,
    );
  }
  return Number(minor * scale(currency));
}

/** A Stripe amount in our minor units of `currency`, or null when it has no exact value. */
export function fromStripeAmount(amount: number | bigint, currency: string): bigint | null {
  const stripeAmount = BigInt(amount);
  const factor = scale(currency);
  return stripeAmount % factor === 0n ? stripeAmount / factor : null;
}
