// `checkout.session.completed`: paid at once (cards) credits the quote; unpaid means a delayed
// method (bank debits) is on its way, and the async events finish the story.
import type Stripe from 'stripe';
import { moveQuote } from '../../billing/topup-payments.ts';
import { creditFromSession } from './credit-from-session.ts';
import type { WebhookDeps } from './webhook-deps.ts';

export async function checkoutSessionCompleted(event: Stripe.Event, deps: WebhookDeps) {
  const session = event.data.object as Stripe.Checkout.Session;
  if (session.payment_status === 'paid') {
    await creditFromSession(session, deps);
    return;
  }
  if (session.payment_status === 'unpaid' && session.client_reference_id) {
    await moveQuote(
      deps.prisma,
      session.client_reference_id,
      ['pending', 'open'],
      'awaiting_payment',
    );
    deps.logger.info({ session_id: session.id }, 'top-up awaiting a delayed payment');
  }
}
