// Builders of Stripe objects and webhook events in the documented shapes of Stripe's API
// reference, for signed webhooks and for the answers of the stand-in in stripe-api.ts. Signing
// uses the real SDK.
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';

/** A made-up id in Stripe's form, e.g. `cs_test_` + 24 hex digits. */
export function testStripeId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const DAY_S = 24 * 60 * 60;

// Stripe's objects have dozens of fields. A builder fills the ones our code and tests read and
// those that tell objects apart, each checked against the SDK's type; the others are absent.
function asStripe<T>(fields: Partial<T>): T {
  return fields as T;
}

export interface StripeEventPayload<T = unknown> {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: Stripe.Event.Type;
  data: { object: T; previous_attributes?: Record<string, unknown> };
}

/** An event around `object` as Stripe delivers it to an endpoint, in the SDK's API version. */
export function stripeEvent<T>(
  type: Stripe.Event.Type,
  object: T,
  overrides: Partial<StripeEventPayload<T>> = {},
): StripeEventPayload<T> {
  return {
    id: testStripeId('evt_test_'),
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: nowSeconds(),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
    ...overrides,
  };
}

/**
 * A Checkout Session; by default a completed, paid payment-mode session of €10.00 (1000 cents),
 * as `checkout.session.completed` carries it. `amount_total` follows `amount_subtotal` unless
 * given. Amounts are in Stripe's minor units of `currency`.
 */
export function checkoutSession(
  fields: Partial<Stripe.Checkout.Session> = {},
): Stripe.Checkout.Session {
  const created = fields.created ?? nowSeconds();
  const subtotal = fields.amount_subtotal === undefined ? 1000 : fields.amount_subtotal;
  return asStripe<Stripe.Checkout.Session>({
    id: testStripeId('cs_test_'),
    object: 'checkout.session',
    created,
    livemode: false,
    mode: 'payment',
    status: 'complete',
    payment_status: 'paid',
    currency: 'eur',
    amount_subtotal: subtotal,
    amount_total: subtotal,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    client_reference_id: null,
    customer: null,
    customer_email: null,
    metadata: {},
    payment_intent: testStripeId('pi_test_'),
    invoice: null,
    invoice_creation: null,
    expires_at: created + DAY_S,
    // Stripe clears the payment page's url once the session is complete or expired.
    url: null,
    success_url: null,
    cancel_url: null,
    payment_method_types: ['card'],
    ui_mode: 'hosted_page',
    locale: null,
    ...fields,
  });
}

/**
 * A succeeded card charge of €10.00. `amount_refunded` is the running total refunded, and
 * `refunded` follows from it unless given: Stripe sets it only once the whole amount went back.
 */
export function charge(fields: Partial<Stripe.Charge> = {}): Stripe.Charge {
  const amount = fields.amount ?? 1000;
  const amountRefunded = fields.amount_refunded ?? 0;
  return asStripe<Stripe.Charge>({
    id: testStripeId('ch_test_'),
    object: 'charge',
    created: nowSeconds(),
    livemode: false,
    amount,
    amount_captured: amount,
    amount_refunded: amountRefunded,
    refunded: amountRefunded >= amount,
    captured: true,
    paid: true,
    disputed: false,
    status: 'succeeded',
    currency: 'eur',
    customer: null,
    payment_intent: testStripeId('pi_test_'),
    metadata: {},
    receipt_url: 'https://pay.stripe.test/receipts/payment/test',
    ...fields,
  });
}

/**
 * A dispute of €10.00 for reason `fraudulent`, awaiting our response (`needs_response`); a
 * closed one has status `won`, `lost` or, for an inquiry, `warning_closed`.
 */
export function dispute(fields: Partial<Stripe.Dispute> = {}): Stripe.Dispute {
  return asStripe<Stripe.Dispute>({
    id: testStripeId('dp_test_'),
    object: 'dispute',
    created: nowSeconds(),
    livemode: false,
    amount: 1000,
    charge: testStripeId('ch_test_'),
    currency: 'eur',
    payment_intent: testStripeId('pi_test_'),
    status: 'needs_response',
    reason: 'fraudulent',
    is_charge_refundable: false,
    metadata: {},
    ...fields,
  });
}

/** A customer with no details yet, as Stripe creates one from an empty request. */
export function customer(fields: Partial<Stripe.Customer> = {}): Stripe.Customer {
  return asStripe<Stripe.Customer>({
    id: testStripeId('cus_Test'),
    object: 'customer',
    created: nowSeconds(),
    livemode: false,
    name: null,
    email: null,
    phone: null,
    description: null,
    address: null,
    metadata: {},
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    balance: 0,
    currency: null,
    default_source: null,
    delinquent: false,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    ...fields,
  });
}

/** A customer's tax id whose verification is still pending, as Stripe answers its creation. */
export function taxId(customerId: string, fields: Partial<Stripe.TaxId> = {}): Stripe.TaxId {
  return asStripe<Stripe.TaxId>({
    id: testStripeId('txi_'),
    object: 'tax_id',
    created: nowSeconds(),
    livemode: false,
    type: 'eu_vat',
    value: 'DE123456789',
    country: 'DE',
    customer: customerId,
    owner: { type: 'customer', customer: customerId, customer_account: null },
    verification: { status: 'pending', verified_address: null, verified_name: null },
    ...fields,
  });
}

/** A paid invoice of €10.00 with its hosted page and PDF; the amounts follow `total`. */
export function invoice(fields: Partial<Stripe.Invoice> = {}): Stripe.Invoice {
  const id = fields.id ?? testStripeId('in_test_');
  const total = fields.total ?? 1000;
  return asStripe<Stripe.Invoice>({
    id,
    object: 'invoice',
    created: nowSeconds(),
    livemode: false,
    status: 'paid',
    number: `TEST-${id.slice(-4).toUpperCase()}`,
    customer: null,
    currency: 'eur',
    subtotal: total,
    total,
    amount_due: total,
    amount_paid: total,
    hosted_invoice_url: `https://invoice.stripe.test/i/${id}`,
    invoice_pdf: `https://pay.stripe.test/invoice/${id}/pdf`,
    metadata: {},
    ...fields,
  });
}

export interface StripeErrorBody {
  error: { type: string; message: string; code?: string; param?: string; doc_url?: string };
}

/**
 * Stripe's error JSON. The SDK picks its error class from the HTTP status (401 authentication,
 * 400 and 404 invalid request, 429 rate limit, 5xx API) and keeps `code` and `param`.
 */
export function stripeErrorBody(
  type: string,
  message: string,
  { code, param }: { code?: string; param?: string } = {},
): StripeErrorBody {
  const docs = code ? { doc_url: `https://stripe.com/docs/error-codes/${code}` } : {};
  return {
    error: { type, message, ...(code ? { code } : {}), ...(param ? { param } : {}), ...docs },
  };
}

// Only the SDK's webhook helpers are used: no request is ever sent with this key.
const signer = new Stripe('sk_test_signing_only');

/**
 * The `stripe-signature` header Stripe would send with `payload` (the exact bytes to post),
 * signed at `timestamp` (Unix seconds, default now) with the endpoint's `whsec_` secret.
 */
export function signStripePayload(payload: string, secret: string, timestamp?: number): string {
  return signer.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp === undefined ? {} : { timestamp }),
  });
}
