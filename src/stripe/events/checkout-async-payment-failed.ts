// `checkout.session.async_payment_failed`: a delayed payment was declined. The quote fails and
// the admin who asked is told, once: only the delivery that moved the quote tells.
import type Stripe from 'stripe';
import { moveQuote } from '../../billing/topup-payments.ts';
import { noticeTargetOf, paymentFailedNotice } from '../../commands/topup-notices.ts';
import type { WebhookDeps } from './webhook-deps.ts';

export async function checkoutSessionAsyncPaymentFailed(event: Stripe.Event, deps: WebhookDeps) {
  const session = event.data.object as Stripe.Checkout.Session;
  if (!session.client_reference_id) return;

  const from = ['pending', 'open', 'awaiting_payment'] as const;
  const failed = await moveQuote(deps.prisma, session.client_reference_id, [...from], 'failed');
  if (!failed) return;
  deps.logger.info({ session_id: session.id, account_id: failed.accountId }, 'top-up failed');
  await deps.notifier.toPerson(noticeTargetOf(failed), paymentFailedNotice(failed));
}
