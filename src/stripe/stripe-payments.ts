// Stripe as the bot's payment provider: a Checkout page per top-up quote, and the billing
// details pushed to the paying customer.
import type Stripe from 'stripe';
import type { Account } from '../billing/accounts.ts';
import { formatMoney } from '../billing/money.ts';
import type { BillingProfileFields } from '../billing/profile.ts';
import { loadProfile } from '../billing/profile-store.ts';
import { recordCheckoutLink, type TopUpQuote } from '../billing/topups.ts';
import type { CheckoutResult, PaymentsPort } from '../commands/types.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import { toStripeAmount } from './amounts.ts';
import { ensureCustomer, pushProfile } from './customers.ts';
import { explainStripeError } from './stripe-errors.ts';

// Stripe keeps a Checkout page open for 24 hours unless told otherwise (30 minutes at least).
// An hour is enough to pay, and a stale link in a channel's scrollback stops working sooner.
export const CHECKOUT_LIFETIME_MS = 60 * 60 * 1000;

export interface StripePaymentsOptions {
  stripe: Stripe;
  prisma: PrismaClient;
  logger: Logger;
  /** Where people reach the bot's HTTP server: the Checkout return pages live there. */
  publicUrl: string;
}

export function createStripePayments(options: StripePaymentsOptions): PaymentsPort {
  return {
    checkoutFor: (quote, account) => checkoutFor(options, quote, account),
    syncProfile: (account, profile) => syncProfile(options, account, profile),
  };
}

async function checkoutFor(
  options: StripePaymentsOptions,
  quote: TopUpQuote,
  account: Account,
): Promise<CheckoutResult> {
  if (quote.stripeSessionId && quote.checkoutUrl && quote.expiresAt) {
    const link = {
      sessionId: quote.stripeSessionId,
      url: quote.checkoutUrl,
      expiresAt: quote.expiresAt,
    };
    return { link, warnings: [] };
  }
  const { stripe, prisma } = options;
  const stripeAmount = toStripeAmount(quote.amountMinor, quote.currency);

  try {
    const profile = await loadProfile(prisma, account.id);
    const customer = await ensureCustomer(stripe, prisma, account, profile);
    const session = await stripe.checkout.sessions.create(
      sessionParams(options, quote, customer.customerId, stripeAmount),
      {
        // The same quote always asks for the same session: a retry, or a second replica racing on
        // the same request, gets Stripe's first answer instead of a second payment page.
        idempotencyKey: `checkout:${quote.id}`,
      },
    );
    if (!session.url) throw new Error(`Checkout Session ${session.id} came back without a url`);

    const link = {
      sessionId: session.id,
      url: session.url,
      expiresAt: new Date(session.expires_at * 1000),
    };
    await recordCheckoutLink(prisma, quote.id, link);
    const warnings = customer.problems.taxId
      ? [`The invoice will not show the tax ID: ${customer.problems.taxId}`]
      : [];
    return { link, warnings };
  } catch (error) {
    throw explainStripeError(error, `creating the Checkout Session of quote ${quote.id}`);
  }
}

function sessionParams(
  options: StripePaymentsOptions,
  quote: TopUpQuote,
  customerId: string,
  stripeAmount: number,
): Stripe.Checkout.SessionCreateParams {
  // Ids only: amounts are never read back from metadata, which anyone with the key can edit.
  const metadata = { quote_id: quote.id, account_id: quote.accountId };
  const credits = formatMoney(quote.amountMinor, quote.currency);
  // Derived from the quote, not the clock: a retried request must send identical parameters.
  const expiresAt = Math.floor((quote.createdAt.getTime() + CHECKOUT_LIFETIME_MS) / 1000);

  return {
    mode: 'payment',
    customer: customerId,
    client_reference_id: quote.id,
    metadata,
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: quote.currency,
          unit_amount: stripeAmount,
          product_data: { name: `${credits} in billing credits` },
        },
      },
    ],
    payment_intent_data: { metadata },
    // An invoice for every payment, addressed with the customer's legal name, address and
    // tax ids as the billing profile has them.
    invoice_creation: {
      enabled: true,
      invoice_data: { description: `Prepaid billing credits: ${credits}`, metadata },
    },
    expires_at: expiresAt,
    success_url: `${options.publicUrl}/billing/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${options.publicUrl}/billing/checkout/cancel`,
  };
}

async function syncProfile(
  options: StripePaymentsOptions,
  account: Account,
  profile: BillingProfileFields,
) {
  if (!account.stripeCustomerId) return {};
  try {
    return await pushProfile(options.stripe, account.stripeCustomerId, profile);
  } catch (error) {
    // The next top-up pushes the details again; the save in chat must not wait for Stripe.
    options.logger.warn(
      { err: explainStripeError(error, 'updating the Stripe customer'), account_id: account.id },
      'could not push billing details to Stripe; the next top-up pushes them again',
    );
    return {};
  }
}
