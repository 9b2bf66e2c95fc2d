import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeStripe, parseStripeForm, startFakeStripe } from './stripe-api.ts';
import { checkoutSession, signStripePayload, stripeEvent } from './stripe-events.ts';

const HOUR_S = 60 * 60;
const DAY_S = 24 * HOUR_S;
const nowSeconds = () => Math.floor(Date.now() / 1000);

function sessionParams(unitAmount: number, currency = 'eur'): Stripe.Checkout.SessionCreateParams {
  return {
    mode: 'payment',
    client_reference_id: 'quote_1',
    metadata: { quote_id: 'quote_1', account_id: 'acct_1' },
    line_items: [
      {
        quantity: 1,
        price_data: { currency, unit_amount: unitAmount, product_data: { name: 'Credits' } },
      },
    ],
    expires_at: nowSeconds() + HOUR_S,
    success_url: 'http://127.0.0.1/billing/checkout/success?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://127.0.0.1/billing/checkout/cancel',
  };
}

describe('fake Stripe API with the real SDK', () => {
  let fake: FakeStripe;
  let stripe: Stripe;
  // Like the app's client: retries 409 and 5xx answers with the same idempotency key.
  let retrying: Stripe;

  beforeAll(async () => {
    fake = await startFakeStripe();
    stripe = new Stripe('sk_test_fake', { ...fake.sdkOptions, maxNetworkRetries: 0 });
    retrying = new Stripe('sk_test_fake', { ...fake.sdkOptions, maxNetworkRetries: 2 });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('creates and updates a customer, recording the nested form params and headers', async () => {
    const created = await stripe.customers.create(
      {
        name: 'Ada GmbH',
        email: 'billing@ada.test',
        address: { line1: 'Hauptstr. 1', line2: 'Hof', city: 'Berlin', country: 'DE' },
        metadata: { account_id: 'acct_1' },
      },
      { idempotencyKey: 'customer:acct_1' },
    );

    expect(created).toMatchObject({
      id: expect.stringMatching(/^cus_Test/),
      object: 'customer',
      livemode: false,
      name: 'Ada GmbH',
      address: { line1: 'Hauptstr. 1', line2: 'Hof', city: 'Berlin', state: null, country: 'DE' },
      metadata: { account_id: 'acct_1' },
    });
    const [request] = fake.requestsTo('POST', '/v1/customers');
    expect(request?.body).toMatchObject({
      address: { city: 'Berlin' },
      metadata: { account_id: 'acct_1' },
    });
    expect(request?.idempotencyKey).toBe('customer:acct_1');
    expect(request?.headers.authorization).toBe('Bearer sk_test_fake');

    // An empty string unsets a field at Stripe; the SDK sends one for `''`.
    const updated = await stripe.customers.update(created.id, {
      name: 'Ada AG',
      address: { line2: '' },
    });
    expect(updated.name).toBe('Ada AG');
    expect(updated.address).toMatchObject({ line1: 'Hauptstr. 1', line2: null });
  });

  it('answers an update of an unknown customer with 404 resource_missing', async () => {
    await expect(stripe.customers.update('cus_nobody', { name: 'X' })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
    });
  });

  it('creates a Checkout Session whose amounts are computed from price_data', async () => {
    const params = sessionParams(1000);
    params.line_items?.push({
      quantity: 2,
      price_data: { currency: 'eur', unit_amount: 250, product_data: { name: 'More' } },
    });
    params.invoice_creation = { enabled: true, invoice_data: { description: 'Credits' } };

    const session = await stripe.checkout.sessions.create(params);

    expect(session).toMatchObject({
      id: expect.stringMatching(/^cs_test_/),
      object: 'checkout.session',
      mode: 'payment',
      currency: 'eur',
      amount_subtotal: 1500,
      amount_total: 1500,
      client_reference_id: 'quote_1',
      metadata: { quote_id: 'quote_1', account_id: 'acct_1' },
      expires_at: params.expires_at,
      url: expect.stringMatching(/^https:\/\//),
      status: 'open',
      payment_status: 'unpaid',
      payment_intent: null,
      invoice: null,
      invoice_creation: { enabled: true, invoice_data: { description: 'Credits' } },
    });
    const [request] = fake.requestsTo('POST', '/v1/checkout/sessions');
    expect(request?.body.line_items).toEqual([
      {
        quantity: '1',
        price_data: { currency: 'eur', unit_amount: '1000', product_data: { name: 'Credits' } },
      },
      {
        quantity: '2',
        price_data: { currency: 'eur', unit_amount: '250', product_data: { name: 'More' } },
      },
    ]);
  });

  it('replays the first answer to a repeated idempotency key and creates one session', async () => {
    const options = { idempotencyKey: 'checkout:quote_1' };
    const params = sessionParams(1000);

    const first = await stripe.checkout.sessions.create(params, options);
    const second = await stripe.checkout.sessions.create(params, options);

    expect(second.id).toBe(first.id);
    expect(fake.sessions.size).toBe(1);
    expect(fake.requests.map((request) => request.replayed)).toEqual([false, true]);
    await expect(
      stripe.checkout.sessions.create(sessionParams(2000), options),
    ).rejects.toMatchObject({
      type: 'StripeIdempotencyError',
      statusCode: 400,
    });
  });

  it.each([
    // [currency, Stripe amount, refused?]: the smallest charges are 50 cents, 30 pence, ¥50.
    ['eur', 49, true],
    ['eur', 50, false],
    ['gbp', 30, false],
    ['jpy', 49, true],
  ])('checks the smallest charge: %s %i refused = %s', async (currency, amount, refused) => {
    const creating = stripe.checkout.sessions.create(sessionParams(amount, currency));
    if (refused) {
      await expect(creating).rejects.toMatchObject({
        type: 'StripeInvalidRequestError',
        code: 'amount_too_small',
      });
    } else {
      await expect(creating).resolves.toMatchObject({ amount_total: amount, currency });
    }
  });

  it.each([
    ['29 minutes', 29 * 60],
    ['25 hours', 25 * HOUR_S],
  ])('refuses an expires_at %s away', async (_, seconds) => {
    const params = { ...sessionParams(1000), expires_at: nowSeconds() + seconds };
    await expect(stripe.checkout.sessions.create(params)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      param: 'expires_at',
    });
  });

  it('fails a scripted route, and the SDK retry with the same key then succeeds', async () => {
    fake.failNext('/v1/checkout/sessions', { status: 500, method: 'POST' });
    await retrying.checkout.sessions.create(sessionParams(1000), { idempotencyKey: 'k1' });

    const attempts = fake.requestsTo('POST', '/v1/checkout/sessions');
    expect(attempts.map((request) => [request.status, request.idempotencyKey])).toEqual([
      [500, 'k1'],
      [200, 'k1'],
    ]);
    expect(fake.sessions.size).toBe(1);

    fake.failNext('/v1/checkout/sessions', { status: 503 });
    await expect(stripe.checkout.sessions.create(sessionParams(1000))).rejects.toMatchObject({
      type: 'StripeAPIError',
      statusCode: 503,
    });
  });

  it('lets a slow request time out in the SDK while it still takes effect at Stripe', async () => {
    fake.delayMs.set('/v1/checkout/sessions', 400);
    const impatient = new Stripe('sk_test_fake', {
      ...fake.sdkOptions,
      maxNetworkRetries: 0,
      timeout: 100,
    });

    await expect(impatient.checkout.sessions.create(sessionParams(1000))).rejects.toMatchObject({
      type: 'StripeConnectionError',
    });
    await vi.waitFor(() => expect(fake.sessions.size).toBe(1), { timeout: 2000 });
  });

  it('answers a second request with a key still in flight with 409, which the SDK retries', async () => {
    fake.delayMs.set('/v1/checkout/sessions', 300);
    const options = { idempotencyKey: 'checkout:race' };

    const [one, two] = await Promise.all([
      retrying.checkout.sessions.create(sessionParams(1000), options),
      retrying.checkout.sessions.create(sessionParams(1000), options),
    ]);

    expect(two.id).toBe(one.id);
    expect(fake.sessions.size).toBe(1);
    expect(fake.requests.map((request) => request.status).sort()).toEqual([200, 200, 409]);
  });

  it('pages through sessions newest first with created[gte] and autoPagingEach', async () => {
    const now = nowSeconds();
    fake.addSession({ created: now - 10 * DAY_S });
    const recent = [1, 2, 3, 4, 5].map((hours) =>
      fake.addSession({ created: now - hours * HOUR_S }),
    );
    fake.addSession({ created: now - HOUR_S, status: 'open', payment_status: 'unpaid' });

    const seen: string[] = [];
    await stripe.checkout.sessions
      .list({ created: { gte: now - 3 * DAY_S }, status: 'complete', limit: 2 })
      .autoPagingEach((session) => {
        seen.push(session.id);
      });

    expect(seen).toEqual(recent.map((session) => session.id));
    const pages = fake.requestsTo('GET', '/v1/checkout/sessions');
    expect(pages.map((request) => request.query.starting_after)).toEqual([
      undefined,
      recent[1]?.id,
      recent[3]?.id,
    ]);
    expect(pages[0]?.query).toMatchObject({ created: { gte: String(now - 3 * DAY_S) } });
  });

  it('completes a paid session with a payment intent and an invoice that can be read', async () => {
    const params = { ...sessionParams(1000), invoice_creation: { enabled: true } };
    const created = await stripe.checkout.sessions.create(params);

    fake.setSessionPaid(created.id);
    const paid = await stripe.checkout.sessions.retrieve(created.id);

    expect(paid).toMatchObject({ status: 'complete', payment_status: 'paid', amount_total: 1000 });
    expect(paid.payment_intent).toMatch(/^pi_test_/);
    const invoice = await stripe.invoices.retrieve(String(paid.invoice));
    expect(invoice).toMatchObject({ object: 'invoice', status: 'paid', amount_paid: 1000 });
    expect(invoice.hosted_invoice_url).toBe(`https://invoice.stripe.test/i/${invoice.id}`);
  });

  it('creates, lists and deletes tax ids, and refuses an invalid one as Stripe does', async () => {
    const { id: customerId } = await stripe.customers.create({ name: 'Ada GmbH' });

    const created = await stripe.customers.createTaxId(customerId, {
      type: 'eu_vat',
      value: 'DE123456789',
    });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^txi_/),
      object: 'tax_id',
      country: 'DE',
      customer: customerId,
      verification: { status: 'pending' },
    });
    const listed = await stripe.customers.listTaxIds(customerId);
    expect(listed).toMatchObject({ object: 'list', has_more: false, data: [{ id: created.id }] });

    const refusal = await stripe.customers
      .createTaxId(customerId, { type: 'eu_vat', value: 'DEINVALID' })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(refusal).toMatchObject({ code: 'tax_id_invalid', param: 'value', statusCode: 400 });

    await expect(stripe.customers.deleteTaxId(customerId, created.id)).resolves.toMatchObject({
      id: created.id,
      deleted: true,
    });
    expect((await stripe.customers.listTaxIds(customerId)).data).toEqual([]);
  });

  it('refuses a bad API key with 401, which the SDK raises as StripeAuthenticationError', async () => {
    const wrongKey = new Stripe('sk_live_not_here', { ...fake.sdkOptions, maxNetworkRetries: 0 });

    const error = await wrongKey.customers.create({ name: 'X' }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error).toMatchObject({ statusCode: 401, message: 'Invalid API Key provided' });
    expect(fake.customers.size).toBe(0);
  });

  it('answers an unknown URL with 404 in Stripe error shape', async () => {
    const response = await fetch(`${fake.url}/v1/nothing_here`, {
      headers: { authorization: 'Bearer sk_test_fake' },
    });

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});

describe('parseStripeForm', () => {
  it('nests bracketed keys, turns indexed keys into arrays and keeps values as strings', () => {
    const encoded =
      'line_items[0][price_data][unit_amount]=1000&line_items[0][quantity]=1' +
      '&metadata[quote_id]=q%201&expand[]=a&expand[]=b&__proto__[polluted]=yes';

    expect(parseStripeForm(encoded)).toEqual({
      line_items: [{ price_data: { unit_amount: '1000' }, quantity: '1' }],
      metadata: { quote_id: 'q 1' },
      expand: ['a', 'b'],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('signStripePayload', () => {
  const secret = 'whsec_test_secret';
  const verifier = new Stripe('sk_test_fake');
  const payload = JSON.stringify(
    stripeEvent('checkout.session.completed', checkoutSession({ client_reference_id: 'quote_1' })),
  );

  it('makes a header that constructEvent accepts over the same bytes', () => {
    const event = verifier.webhooks.constructEvent(
      payload,
      signStripePayload(payload, secret),
      secret,
    );

    expect(event.type).toBe('checkout.session.completed');
    expect(event.data.object).toMatchObject({
      object: 'checkout.session',
      client_reference_id: 'quote_1',
    });
  });

  it('fails verification when one byte of the payload changes', () => {
    const header = signStripePayload(payload, secret);
    const altered = payload.replace('quote_1', 'quote_2');

    expect(() => verifier.webhooks.constructEvent(altered, header, secret)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it('fails verification of a signature older than the default tolerance', () => {
    const header = signStripePayload(payload, secret, nowSeconds() - 10 * 60);

    expect(() => verifier.webhooks.constructEvent(payload, header, secret)).toThrow(
      /Timestamp outside the tolerance zone/,
    );
  });
});
