// The Stripe SDK, configured once. STRIPE_API_BASE moves it to a proxy or a test server.
import Stripe from 'stripe';
import type { Config } from '../config.ts';

type StripeConfig = NonNullable<Config['stripe']>;

// A slow Stripe must not hold a chat reply forever; the SDK retries network errors and 409/5xx
// answers itself, with the same idempotency key, so a retry never creates a second object.
const TIMEOUT_MS = 20_000;
const NETWORK_RETRIES = 2;

export function createStripeClient(stripe: StripeConfig): Stripe {
  const base = stripe.apiBase ? new URL(stripe.apiBase) : null;
  return new Stripe(stripe.secretKey, {
    timeout: TIMEOUT_MS,
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
