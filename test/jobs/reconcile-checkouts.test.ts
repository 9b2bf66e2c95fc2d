import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TopUpQuote } from '../../src/billing/topups.ts';
import { reconcileCheckouts } from '../../src/jobs/reconcile-checkouts.ts';
import type { WebhookDeps } from '../../src/stripe/events/webhook-deps.ts';
import { databaseTargets } from '../support/databases.ts';
import { stripeEvent } from '../support/stripe-events.ts';
import {
  CREDITED_TEXT,
  PAID_CENTS,
  type StripeFlow,
  startStripeFlow,
  topUpState,
} from '../support/stripe-flow.ts';

// Each test tops up `/billing add 100` ($100.00, paid $119.00 with tax) in its own workspace, so
// each starts from a zero balance and a Stripe stand-in that knows only its own sessions.
const DAY_MS = 24 * 60 * 60 * 1000;

describe.each(databaseTargets())('reconcileCheckouts on $name', (target) => {
  let flow: StripeFlow;
  let deps: WebhookDeps;
  beforeAll(async () => {
    flow = await startStripeFlow({ database: await target.open() });
    if (!flow.bot.bot.stripe) throw new Error('the bot runs without Stripe');
    deps = flow.bot.bot.stripe;
  });
  afterAll(() => flow?.close());
  beforeEach(() => {
    flow.slack.reset();
    flow.stripe.reset();
  });

  /** `/billing add 100` by the admin in C0GENERAL of `team`: the quote and its open session. */
  const addCredits = async (team: string) => (await flow.requestTopUp(team)).quote;

  /** Pays the quote's session at the stand-in, as a payer would; no webhook is sent. */
  const pay = (quote: TopUpQuote, fields: Partial<Stripe.Checkout.Session> = {}) =>
    flow.stripe.setSessionPaid(quote.stripeSessionId ?? '', {
      amount_total: PAID_CENTS,
      ...fields,
    });

  const postEvent = async (event: unknown) => (await flow.postEvent(event)).status;

  /** The quote's status, and its account's balance and ledger as [kind, amount, key]. */
  async function stateOf(quoteId: string) {
    const { quote, ...account } = await topUpState(flow.bot.database.prisma, quoteId);
    return { status: quote.status, ...account };
  }

  const messages = () =>
    flow.slack.callsTo('chat.postMessage').map((call) => [call.body.channel, call.body.text]);

  it('credits a paid session whose webhook never came, once, and skips other integrations', async () => {
    const quote = await addCredits('T0MISSED');
    const session = pay(quote);
    // Paid Checkout Sessions of other integrations on the same Stripe account.
    flow.stripe.addSession({ client_reference_id: 'order-4711', metadata: { order: '4711' } });
    flow.stripe.addSession({ client_reference_id: randomUUID(), metadata: { source: 'webshop' } });
    flow.stripe.addSession({ client_reference_id: null, metadata: { quote_id: randomUUID() } });
    const credited = {
      status: 'credited',
      balanceMinor: 10_000n,
      ledger: [['topup', 10_000n, `stripe:checkout:${session.id}`]],
    };

    expect(await reconcileCheckouts(deps, new Date())).toEqual({ examined: 1, credited: 1 });
    expect(await stateOf(quote.id)).toEqual(credited);
    expect(messages()).toEqual([['C0GENERAL', CREDITED_TEXT]]);

    expect(await reconcileCheckouts(deps, new Date())).toEqual({ examined: 1, credited: 0 });
    expect(await postEvent(stripeEvent('checkout.session.completed', session))).toBe(200);

    expect(await stateOf(quote.id)).toEqual(credited);
    expect(messages()).toEqual([['C0GENERAL', CREDITED_TEXT]]);
  });

  it('leaves alone a payment that its webhook already credited', async () => {
    const quote = await addCredits('T0DELIVERED');
    const session = pay(quote);
    expect(await postEvent(stripeEvent('checkout.session.completed', session))).toBe(200);

    expect(await reconcileCheckouts(deps, new Date())).toEqual({ examined: 1, credited: 0 });

    expect((await stateOf(quote.id)).balanceMinor).toBe(10_000n);
    expect(messages()).toEqual([['C0GENERAL', CREDITED_TEXT]]);
  });

  it('leaves delayed payments to their own events and looks back three days', async () => {
    const delayed = await addCredits('T0LOOKBACK');
    pay(delayed, { payment_status: 'unpaid' });

    const fourDaysLater = new Date(Date.now() + 4 * DAY_MS);
    expect(await reconcileCheckouts(deps, fourDaysLater)).toEqual({ examined: 0, credited: 0 });
    expect(await reconcileCheckouts(deps, new Date())).toEqual({ examined: 0, credited: 0 });

    expect(await stateOf(delayed.id)).toEqual({ status: 'open', balanceMinor: 0n, ledger: [] });
    expect(messages()).toEqual([]);
  });

  it('credits nothing for a session that disagrees with its quote', async () => {
    const quote = await addCredits('T0DISAGREES');
    pay(quote, { amount_subtotal: 5_000, amount_total: 5_950 });

    expect(await reconcileCheckouts(deps, new Date())).toEqual({ examined: 1, credited: 0 });

    expect(await stateOf(quote.id)).toEqual({ status: 'mismatch', balanceMinor: 0n, ledger: [] });
    expect(messages()).toEqual([]);
  });

  it("finds a missed payment past the first page of Stripe's list", async () => {
    const quote = await addCredits('T0SECONDPAGE');
    pay(quote);
    // Made later, so listed first: Stripe lists newest first, 100 to a page.
    for (let order = 0; order < 120; order++) {
      flow.stripe.addSession({ client_reference_id: `order-${order}`, metadata: {} });
    }

    expect(await reconcileCheckouts(deps, new Date())).toEqual({ examined: 1, credited: 1 });

    expect((await stateOf(quote.id)).balanceMinor).toBe(10_000n);
    expect(flow.stripe.requestsTo('GET', '/v1/checkout/sessions')).toHaveLength(2);
  });
});
