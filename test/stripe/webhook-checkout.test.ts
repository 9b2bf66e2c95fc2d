import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TopUpQuote } from '../../src/billing/topups.ts';
import { databaseTargets } from '../support/databases.ts';
import { STRIPE_WEBHOOK_SECRET, startSlackBot, stripeEnv } from '../support/slack-bot.ts';
import { signStripePayload, stripeEvent } from '../support/stripe-events.ts';
import {
  CREDITED_TEXT,
  deliverWebhook,
  PAID_WITH_TAX,
  type StripeFlow,
  startStripeFlow,
  topUpState,
} from '../support/stripe-flow.ts';

// Every top-up here is `/billing add 100` by Ada Admin in C0GENERAL, each in its own workspace so
// that each starts from a zero balance: $100.00 of credits, paid $119.00 with tax.
const FAILED_TEXT =
  'The payment of $100.00 did not go through (the bank or payment method declined it). ' +
  'Nothing was credited or charged; start again with /billing add when ready.';
const CREDITED_SECTION = { type: 'section', text: { type: 'mrkdwn', text: CREDITED_TEXT } };
const invoiceButton = (url: string) => {
  const label = { type: 'plain_text', text: 'Invoice' };
  const button = { type: 'button', action_id: 'billing_open_link', text: label, url };
  return { type: 'actions', elements: [{ ...button, style: 'primary' }] };
};

describe.each(databaseTargets())('the Stripe webhook for Checkout on $name', (target) => {
  let flow: StripeFlow;
  beforeAll(async () => {
    flow = await startStripeFlow({ database: await target.open() });
  });
  afterAll(() => flow?.close());
  beforeEach(() => flow.slack.reset());

  /** `/billing add 100` by the admin in C0GENERAL of `team`: the quote and its open session. */
  async function addCredits(team: string, on = flow.bot): Promise<TopUpQuote> {
    const { replyText, quote } = await flow.requestTopUp(team, on);
    const sessionId = quote.stripeSessionId;
    expect(replyText).toBe(`Pay $100.00: https://checkout.stripe.test/c/pay/${sessionId}`);
    return quote;
  }

  /** Marks the quote's session paid at the stand-in: $100.00 plus $19.00 of tax. */
  function pay(quote: TopUpQuote, fields: Partial<Stripe.Checkout.Session> = {}) {
    return flow.stripe.setSessionPaid(quote.stripeSessionId ?? '', { ...PAID_WITH_TAX, ...fields });
  }

  const deliver = (payload: string, signature: string | null) =>
    deliverWebhook(flow.bot, payload, signature);
  const postEvent = (event: unknown, on = flow.bot) => flow.postEvent(event, on);
  const stateOf = (quoteId: string) => topUpState(flow.bot.database.prisma, quoteId);

  /** Checks that the quote's account got nothing and the quote is in `status`; returns it. */
  async function expectNothingCredited(quoteId: string, status: TopUpQuote['status']) {
    const after = await stateOf(quoteId);
    expect(after).toMatchObject({ balanceMinor: 0n, ledger: [], quote: { status } });
    return after.quote;
  }

  const messages = () => flow.slack.callsTo('chat.postMessage').map((call) => call.body);

  it('credits the subtotal, not the taxed total, and tells the channel with the invoice', async () => {
    const quote = await addCredits('T0CREDIT');
    const session = pay(quote);

    const answer = await postEvent(stripeEvent('checkout.session.completed', session));

    expect(answer).toEqual({ status: 200, body: { received: true, handled: true } });
    const invoiceUrl = `https://invoice.stripe.test/i/${session.invoice}`;
    const after = await stateOf(quote.id);
    expect(after.balanceMinor).toBe(10_000n);
    expect(after.ledger).toEqual([['topup', 10_000n, `stripe:checkout:${session.id}`]]);
    expect(after.quote).toMatchObject({
      status: 'credited',
      receiptUrl: invoiceUrl,
      paidStripeAmount: 11_900n,
      paymentIntentId: session.payment_intent,
    });
    expect(messages()).toEqual([
      expect.objectContaining({
        channel: 'C0GENERAL',
        text: CREDITED_TEXT,
        blocks: [CREDITED_SECTION, invoiceButton(invoiceUrl)],
      }),
    ]);
  });

  it('credits without the invoice link when Stripe cannot give the invoice', async () => {
    const quote = await addCredits('T0NOINVOICE');
    const session = pay(quote);
    flow.stripe.failNext('/v1/invoices/', { status: 404 });

    await postEvent(stripeEvent('checkout.session.completed', session));

    const after = await stateOf(quote.id);
    expect(after.balanceMinor).toBe(10_000n);
    expect(after.quote).toMatchObject({ status: 'credited', receiptUrl: null });
    expect(messages()).toEqual([
      expect.objectContaining({ channel: 'C0GENERAL', blocks: [CREDITED_SECTION] }),
    ]);
  });

  it('credits once when the same event arrives twice at once and again later', async () => {
    const quote = await addCredits('T0TWICE');
    const event = stripeEvent('checkout.session.completed', pay(quote));

    const together = await Promise.all([postEvent(event), postEvent(event)]);
    const later = await postEvent(event);

    expect([...together, later].map((answer) => answer.status)).toEqual([200, 200, 200]);
    const after = await stateOf(quote.id);
    expect(after.balanceMinor).toBe(10_000n);
    expect(after.ledger).toHaveLength(1);
    expect(messages().map((message) => message.text)).toEqual([CREDITED_TEXT]);
  });

  it('ignores amounts claimed in metadata', async () => {
    const quote = await addCredits('T0METADATA');
    const session = pay(quote);
    const claims = { amount: '999999', credits: '999999', amount_minor: '99999900' };
    const metadata = { ...session.metadata, ...claims };

    await postEvent(stripeEvent('checkout.session.completed', { ...session, metadata }));

    expect((await stateOf(quote.id)).balanceMinor).toBe(10_000n);
  });

  it.each([
    ['another currency', 'T0EURO', { currency: 'eur' }, 'paid in EUR, quoted in USD'],
    [
      'another subtotal',
      'T0HALF',
      { amount_subtotal: 5_000, amount_total: 5_950 },
      'paid for $50.00 before tax, quoted $100.00',
    ],
  ])('credits nothing for %s and flags the quote', async (_case, team, fields, problem) => {
    const quote = await addCredits(team);
    const session = pay(quote, fields);

    const answer = await postEvent(stripeEvent('checkout.session.completed', session));

    expect(answer.status).toBe(200);
    expect((await expectNothingCredited(quote.id, 'mismatch')).problem).toBe(problem);
    expect(messages()).toEqual([]);
  });

  it('refuses a tampered, wrongly signed, unsigned or stale delivery with 400', async () => {
    const quote = await addCredits('T0FORGED');
    const payload = JSON.stringify(stripeEvent('checkout.session.completed', pay(quote)));
    const signature = signStripePayload(payload, STRIPE_WEBHOOK_SECRET);
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;

    const answers = [
      await deliver(payload.replace('"paid"', '"paic"'), signature),
      await deliver(payload, signStripePayload(payload, 'whsec_not_this_endpoint')),
      await deliver(payload, null),
      await deliver(payload, signStripePayload(payload, STRIPE_WEBHOOK_SECRET, tenMinutesAgo)),
    ];

    const refused = { status: 400, body: { error: 'invalid_signature' } };
    expect(answers).toEqual([refused, refused, refused, refused]);
    expect((await expectNothingCredited(quote.id, 'open')).updatedAt).toEqual(quote.updatedAt);
  });

  it('verifies the raw bytes of a payload with non-ASCII text and odd whitespace', async () => {
    const quote = await addCredits('T0UNICODE');
    const session = pay(quote);
    const customer_details = { name: 'Zoë Ünïcödé 東京 株式会社', email: 'zoë@example.test' };
    const event = stripeEvent('checkout.session.completed', { ...session, customer_details });
    const payload = `${JSON.stringify(event, null, '\t')}  \r\n\n  `;

    const answer = await deliver(payload, signStripePayload(payload, STRIPE_WEBHOOK_SECRET));

    expect(answer.status).toBe(200);
    expect((await stateOf(quote.id)).balanceMinor).toBe(10_000n);
  });

  it('waits for a delayed payment, then credits it once when it arrives', async () => {
    const quote = await addCredits('T0DELAYED');
    const unpaid = pay(quote, { payment_status: 'unpaid' });
    await postEvent(stripeEvent('checkout.session.completed', unpaid));

    await expectNothingCredited(quote.id, 'awaiting_payment');
    expect(messages()).toEqual([]);

    const { payment_intent, invoice } = unpaid;
    const paid = pay(quote, { payment_status: 'paid', payment_intent, invoice });
    const succeeded = stripeEvent('checkout.session.async_payment_succeeded', paid);
    await postEvent(succeeded);
    await postEvent(succeeded);

    const after = await stateOf(quote.id);
    expect(after.balanceMinor).toBe(10_000n);
    expect(after.ledger).toEqual([['topup', 10_000n, `stripe:checkout:${paid.id}`]]);
    expect(after.quote.status).toBe('credited');
    expect(messages().map((message) => message.text)).toEqual([CREDITED_TEXT]);
  });

  it('fails a declined delayed payment and tells the admin in a DM, once', async () => {
    const quote = await addCredits('T0DECLINED');
    const unpaid = pay(quote, { payment_status: 'unpaid' });
    await postEvent(stripeEvent('checkout.session.completed', unpaid));

    const failed = stripeEvent('checkout.session.async_payment_failed', unpaid);
    expect((await postEvent(failed)).status).toBe(200);
    expect((await postEvent(failed)).status).toBe(200);

    await expectNothingCredited(quote.id, 'failed');
    expect(messages()).toEqual([
      expect.objectContaining({ channel: 'U0ADMIN', text: FAILED_TEXT }),
    ]);
  });

  it('expires the quote of an expired session; asking again gets a new session', async () => {
    const first = await addCredits('T0EXPIRED');
    const session = flow.stripe.sessions.get(first.stripeSessionId ?? '');
    if (!session) throw new Error('the stand-in has no session for the quote');
    Object.assign(session, { status: 'expired', url: null });

    await postEvent(stripeEvent('checkout.session.expired', session));
    const second = await addCredits('T0EXPIRED');

    expect((await stateOf(first.id)).quote.status).toBe('expired');
    expect(second.id).not.toBe(first.id);
    expect(second.stripeSessionId).not.toBe(first.stripeSessionId);
    expect(second.status).toBe('open');
  });

  it('posts the confirmation to the admin when the bot cannot post in the channel', async () => {
    const quote = await addCredits('T0PRIVATE');
    flow.slack.answer('chat.postMessage', (call) =>
      call.body.channel === 'C0GENERAL'
        ? { body: { ok: false, error: 'not_in_channel' } }
        : { body: { ok: true, channel: call.body.channel, ts: '1700000000.000100' } },
    );

    await postEvent(stripeEvent('checkout.session.completed', pay(quote)));

    expect(messages().map((message) => [message.channel, message.text])).toEqual([
      ['C0GENERAL', CREDITED_TEXT],
      ['U0ADMIN', CREDITED_TEXT],
    ]);
    expect((await stateOf(quote.id)).balanceMinor).toBe(10_000n);
  });

  it('acknowledges an event type it does not handle and changes nothing', async () => {
    const quote = await addCredits('T0UNHANDLED');
    const session = pay(quote);
    const { payment_intent: id, metadata } = session;
    const paymentIntent = { id, object: 'payment_intent', amount: 11_900, metadata };

    const answer = await postEvent(stripeEvent('payment_intent.succeeded', paymentIntent));

    expect(answer).toEqual({ status: 200, body: { received: true, handled: false } });
    expect((await expectNothingCredited(quote.id, 'open')).updatedAt).toEqual(quote.updatedAt);
    expect(messages()).toEqual([]);
  });

  it('answers 500, so that Stripe retries, when the event cannot be applied', async () => {
    const other = await startSlackBot(flow.slack, stripeEnv(flow.stripe.url), await target.open());
    try {
      const quote = await addCredits('T0BROKEN', other);
      const event = stripeEvent('checkout.session.completed', pay(quote));
      await other.database.close();

      const answer = await postEvent(event, other);

      expect(answer).toEqual({ status: 500, body: { error: 'processing_failed' } });
      expect(messages()).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
