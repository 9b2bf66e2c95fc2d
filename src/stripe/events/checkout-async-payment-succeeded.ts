// `checkout.session.async_payment_succeeded`: a delayed payment arrived; credit it.
import type Stripe from 'stripe';
import { creditFromSession } from './credit-from-session.ts';
import type { WebhookDeps } from './webhook-deps.ts';

export async function checkoutSessionAsyncPaymentSucceeded(event: Stripe.Event, deps: WebhookDeps) {
  await creditFromSession(event.data.object as Stripe.Checkout.Session, deps);
}
