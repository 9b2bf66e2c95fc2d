// `checkout.session.expired`: the link ran out unpaid. The quote closes; the admin can ask again.
import type Stripe from 'stripe';
import { moveQuote } from '../../billing/topup-payments.ts';
import type { WebhookDeps } from './webhook-deps.ts';

export async function checkoutSessionExpired(event: Stripe.Event, deps: WebhookDeps) {
  const session = event.data.object as Stripe.Checkout.Session;
  if (!session.client_reference_id) return;
  await moveQuote(deps.prisma, session.client_reference_id, ['pending', 'open'], 'expired');
}
