// Stripe's failures as sentences an admin can act on. The operator's message keeps Stripe's own
// words and request id; the admin's never shows a raw error.
import Stripe from 'stripe';
import { BillingError } from '../billing/errors.ts';

/** Wraps any failure of a Stripe call in a BillingError whose `userMessage` says what to do. */
export function explainStripeError(error: unknown, doing: string): BillingError {
  if (error instanceof BillingError) return error;
  if (!(error instanceof Stripe.errors.StripeError)) {
    return unavailable(`${doing} failed: ${String(error)}`, error);
  }

  const code = error.code ? `/${error.code}` : '';
  const detail = `${doing}: Stripe ${error.type}${code}: ${error.message}`;
  if (error instanceof Stripe.errors.StripeConnectionError) return unavailable(detail, error);
  if (error instanceof Stripe.errors.StripeAPIError) return unavailable(detail, error);
  if (error instanceof Stripe.errors.StripeRateLimitError) return unavailable(detail, error);
  if (
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError
  ) {
    return refused(
      detail,
      "Stripe did not accept this bot's API key, so no payment link could be made. Ask whoever " +
        'runs the bot to check STRIPE_SECRET_KEY. Nothing was charged.',
      error,
    );
  }
  return refused(detail, `${refusalSentence(error)} Nothing was charged.`, error);
}

function refusalSentence(error: InstanceType<typeof Stripe.errors.StripeError>): string {
  switch (error.code) {
    case 'amount_too_small':
      return (
        'Stripe refused the amount: it is below the smallest charge Stripe allows for this ' +
        'currency. Try a larger amount.'
      );
    case 'amount_too_large':
      return (
        'Stripe refused the amount: it is above the largest single charge Stripe allows. Try a ' +
        'smaller amount.'
      );
    case 'account_invalid':
    case 'account_closed':
    case 'platform_account_required':
      return (
        'Stripe refused the payment because of a problem with the Stripe account itself. Ask ' +
        'whoever runs the bot to check the Stripe dashboard.'
      );
    case 'tax_id_invalid':
      return 'Stripe did not accept the tax ID of the billing details. Fix it with /billing edit.';
    default:
      return `Stripe refused to make the payment link (${error.message.slice(0, 200)}).`;
  }
}

function refused(detail: string, userMessage: string, cause: unknown): BillingError {
  return new BillingError('payment_refused', detail, userMessage, { cause });
}

function unavailable(detail: string, cause: unknown): BillingError {
  return new BillingError(
    'payments_unavailable',
    detail,
    'Stripe could not be reached just now, so no payment link was made and nothing was charged. ' +
      'Try again in a minute.',
    { cause },
  );
}

/** True when Stripe refused a tax id (its value or its type for the country). */
export function isTaxIdRejection(
  error: unknown,
): error is InstanceType<typeof Stripe.errors.StripeError> {
  return (
    error instanceof Stripe.errors.StripeInvalidRequestError &&
    (error.code === 'tax_id_invalid' || error.param === 'value' || error.param === 'type')
  );
}
