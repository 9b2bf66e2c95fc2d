// POST /stripe/webhook: verifies Stripe's signature over the raw bytes, then hands the event to
// the handler of its type. Only the router verifies and dispatches; one file per event type.
import express, { type Express } from 'express';
import type Stripe from 'stripe';
import { webhookEventsTotal } from '../metrics.ts';
import { chargeDisputeClosed } from './events/charge-dispute-closed.ts';
import { chargeDisputeCreated } from './events/charge-dispute-created.ts';
import { chargeRefunded } from './events/charge-refunded.ts';
import { checkoutSessionAsyncPaymentFailed } from './events/checkout-async-payment-failed.ts';
import { checkoutSessionAsyncPaymentSucceeded } from './events/checkout-async-payment-succeeded.ts';
import { checkoutSessionCompleted } from './events/checkout-session-completed.ts';
import { checkoutSessionExpired } from './events/checkout-session-expired.ts';
import type { EventHandler, WebhookDeps } from './events/webhook-deps.ts';

export const STRIPE_WEBHOOK_PATH = '/stripe/webhook';

/** The event types the bot acts on; the webhook endpoint in Stripe needs exactly these. */
export const HANDLED_EVENTS: Readonly<Record<string, EventHandler>> = {
  'checkout.session.completed': checkoutSessionCompleted,
  'checkout.session.async_payment_succeeded': checkoutSessionAsyncPaymentSucceeded,
  'checkout.session.async_payment_failed': checkoutSessionAsyncPaymentFailed,
  'checkout.session.expired': checkoutSessionExpired,
  'charge.refunded': chargeRefunded,
  'charge.dispute.created': chargeDisputeCreated,
  'charge.dispute.closed': chargeDisputeClosed,
};

// Stripe's events are a few kilobytes; anything far larger is not from Stripe.
const MAX_EVENT_BYTES = '512kb';

export function registerStripeWebhook(
  app: Express,
  deps: WebhookDeps & { webhookSecret: string },
): void {
  // The raw bytes are what Stripe signed: a parsed and re-serialised body would never verify.
  const rawBody = express.raw({ type: () => true, limit: MAX_EVENT_BYTES });

  app.post(STRIPE_WEBHOOK_PATH, rawBody, async (request, response) => {
    const event = verify(deps, request.body, request.header('stripe-signature'));
    if (!event) {
      webhookEventsTotal.inc({ type: 'unverified', outcome: 'refused' });
      response.status(400).json({ error: 'invalid_signature' });
      return;
    }

    const handler = HANDLED_EVENTS[event.type];
    const fields = { event_id: event.id, event_type: event.type };
    if (!handler) {
      deps.logger.debug(fields, 'Stripe event type not handled: acknowledged and ignored');
      webhookEventsTotal.inc({ type: 'other', outcome: 'ignored' });
      response.json({ received: true, handled: false });
      return;
    }
    try {
      await handler(event, deps);
      webhookEventsTotal.inc({ type: event.type, outcome: 'handled' });
      response.json({ received: true, handled: true });
    } catch (error) {
      // Any answer but 2xx makes Stripe deliver the event again, with backoff, for days.
      deps.logger.error({ err: error, ...fields }, 'Stripe event not processed; Stripe will retry');
      webhookEventsTotal.inc({ type: event.type, outcome: 'failed' });
      response.status(500).json({ error: 'processing_failed' });
    }
  });
}

function verify(
  deps: WebhookDeps & { webhookSecret: string },
  body: unknown,
  signature: string | undefined,
): Stripe.Event | null {
  if (!Buffer.isBuffer(body) || !signature) {
    deps.logger.warn('Stripe webhook without a body or a stripe-signature header: refused');
    return null;
  }
  try {
    // The SDK's default tolerance (5 minutes) refuses replays of old deliveries.
    return deps.stripe.webhooks.constructEvent(body, signature, deps.webhookSecret);
  } catch (error) {
    deps.logger.warn(
      { err: error },
      'Stripe webhook signature did not verify: refused. Check STRIPE_WEBHOOK_SECRET against ' +
        'the signing secret of this endpoint in the Stripe dashboard.',
    );
    return null;
  }
}
