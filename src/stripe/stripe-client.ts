// The Stripe SDK, configured once. STRIPE_API_BASE moves it to a proxy or a test server.
import Stripe from 'stripe';
import type { Config } from '../config.ts';

type StripeConfig = NonNullable<Config['stripe']>;

// A slow Stripe must not hold a chat reply for long (the SDK's own default is 80 s a try): a
// Checkout Session takes Stripe well under a second, and a top-up that fails stays pending, so
// asking again is safe. The SDK retries network errors, timeouts and 409/5xx answers itself, with
// the same idempotency key, so a retry never creates a second object.
const TIMEOUT_MS = 10_000;
const NETWORK_RETRIES = 2;

export interface StripeClientOptions {
  /** How long one try may take; the production value unless a test needs a shorter one. */
  timeoutMs?: number;
}

export function createStripeClient(
  stripe: StripeConfig,
  options: StripeClientOptions = {},
): Stripe {
  const base = stripe.apiBase ? new URL(stripe.apiBase) : null;
  return new Stripe(stripe.secretKey, {
    timeout: options.timeoutMs ?? TIMEOUT_MS,
    maxNetworkRetries: NETWORK_RETRIES,
    appInfo: { name: 'billing-bot' },
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}
