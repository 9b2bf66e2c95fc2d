// Crediting a paid Checkout Session: shared by the completed and async-succeeded events and by
// the reconciliation job. Each path reaches the same quote and the same ledger key, so a payment
// is credited once however many of them report it.
import type Stripe from 'stripe';
import { clearAlertAfterTopUp } from '../../billing/alert-settings.ts';
import { type CreditOutcome, creditTopUp } from '../../billing/topup-payments.ts';
import { creditedNotice, noticeTargetOf } from '../../commands/topup-notices.ts';
import { ledgerEntriesTotal } from '../../metrics.ts';
import { fromStripeAmount } from '../amounts.ts';
import { idOf, type WebhookDeps } from './webhook-deps.ts';

/** Credits the quote of a paid session and, when this call credited it, posts the news. */
export async function creditFromSession(
  session: Stripe.Checkout.Session,
  deps: WebhookDeps,
): Promise<CreditOutcome> {
  const fields = { session_id: session.id, quote_id: session.client_reference_id };
  if (!session.client_reference_id || session.mode !== 'payment') {
    deps.logger.info(fields, 'Checkout Session without a top-up quote: not ours, ignored');
    return { status: 'unknown_quote' };
  }

  // Stripe's own amounts, never metadata: the subtotal is what the credits cost before tax.
  const currency = session.currency ?? '';
  const subtotal = session.amount_subtotal;
  const outcome = await creditTopUp(deps.prisma, {
    quoteId: session.client_reference_id,
    sessionId: session.id,
    paymentIntentId: idOf(session.payment_intent),
    currency,
    subtotalMinor: subtotal === null || !currency ? null : fromStripeAmount(subtotal, currency),
    totalProviderAmount: BigInt(session.amount_total ?? 0),
    receiptUrl: await invoiceUrl(session, deps),
  });

  if (outcome.status === 'credited') {
    deps.logger.info({ ...fields, account_id: outcome.quote.accountId }, 'top-up credited');
    await clearAlertAfterTopUp(deps.prisma, outcome.quote.accountId);
    ledgerEntriesTotal.inc({ kind: 'topup', direction: 'credit' });
    const notice = creditedNotice(outcome.quote, outcome.balanceMinor);
    // The notice router logs a failed post and never throws: the credit stands either way.
    await deps.notifier.toChannel(noticeTargetOf(outcome.quote), notice);
  } else if (outcome.status === 'mismatch') {
    deps.logger.error(
      { ...fields, account_id: outcome.quote.accountId, problem: outcome.reason },
      'Checkout Session disagrees with its quote: nothing credited; an operator must look',
    );
  } else if (outcome.status === 'unknown_quote') {
    deps.logger.warn(fields, 'Checkout Session names no quote of ours: nothing credited');
  }
  return outcome;
}

// The hosted invoice page, for the confirmation and /billing history. A lookup failure costs
// the link, never the credit.
async function invoiceUrl(session: Stripe.Checkout.Session, deps: WebhookDeps) {
  const invoiceId = idOf(session.invoice);
  if (!invoiceId) return null;
  try {
    const invoice = await deps.stripe.invoices.retrieve(invoiceId);
    return invoice.hosted_invoice_url ?? null;
  } catch (error) {
    deps.logger.warn({ err: error, session_id: session.id }, 'could not read the invoice link');
    return null;
  }
}
