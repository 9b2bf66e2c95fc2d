import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.ts';
import { type FakeSlack, slackUsers, startFakeSlack } from '../support/slack-api.ts';
import {
  type RunningSlackBot,
  STRIPE_WEBHOOK_SECRET,
  startSlackBot,
  stripeEnv,
} from '../support/slack-bot.ts';
import { slashCommand } from '../support/slack-requests.ts';
import { type FakeStripe, startFakeStripe } from '../support/stripe-api.ts';
import { charge, dispute, signStripePayload, stripeEvent } from '../support/stripe-events.ts';

// Every top-up here is `/billing add 100` by Ada Admin in C0GENERAL: $100.00 of credits paid
// $119.00 with tax. Stripe's refunds and disputes are amounts of the $119.00 (11900 cents).
const PAID_CENTS = 11_900;

describe.each(databaseTargets())('Stripe refunds and disputes on $name', (target) => {
  let slack: FakeSlack;
  let stripe: FakeStripe;
  let bot: RunningSlackBot;
  beforeAll(async () => {
    slack = await startFakeSlack();
    slack.users.set('U0ADMIN', slackUsers.admin());
    stripe = await startFakeStripe();
    bot = await startSlackBot(slack, stripeEnv(stripe.url), await target.open());
  });
  afterAll(async () => {
    await bot?.close();
    await bot?.database.close();
    await Promise.all([slack?.close(), stripe?.close()]);
  });
  beforeEach(() => slack.reset());

  async function postEvent(event: unknown) {
    const payload = JSON.stringify(event);
    const response = await fetch(`${bot.baseUrl}/stripe/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signStripePayload(payload, STRIPE_WEBHOOK_SECRET),
      },
      body: payload,
    });
    return response.status;
  }

  /**
   * `/billing add 100` in `team`, paid at the stand-in and credited by its signed webhook; the
   * channel's confirmation is cleared so each test counts only its own notices.
   */
  async function creditedTopUp(team: string) {
    const responseUrl = slack.responseUrl();
    const replyTo = `response_url:${new URL(responseUrl).pathname.split('/').pop()}`;
    const command = { text: 'add 100', user_id: 'U0ADMIN', team_id: team };
    const sent = await bot.send(slashCommand({ ...command, response_url: responseUrl }));
    expect(sent.status).toBe(200);
    const [reply] = await slack.waitFor(replyTo);
    const sessionId = String(reply?.body.text).split('/').pop() ?? '';
    const total_details = { amount_discount: 0, amount_shipping: 0, amount_tax: 1_900 };
    const session = stripe.setSessionPaid(sessionId, { amount_total: PAID_CENTS, total_details });

    expect(await postEvent(stripeEvent('checkout.session.completed', session))).toBe(200);
    const where = { stripeSessionId: sessionId };
    const quote = await bot.database.prisma.topUpQuote.findUniqueOrThrow({ where });
    expect(quote.status).toBe('credited');
    slack.reset();
    return { quote, paymentIntentId: String(session.payment_intent) };
  }

  /** The account's balance and its ledger after the top-ups, as [kind, amount]. */
  async function accountOf(accountId: string) {
    const prisma = bot.database.prisma;
    const account = await prisma.account.findUniqueOrThrow({ where: { id: accountId } });
    const entries = await prisma.ledgerEntry.findMany({
      where: { accountId, kind: { not: 'topup' } },
      orderBy: { id: 'asc' },
    });
    const reversals = entries.map((entry) => [entry.kind, entry.amountMinor]);
    return { balanceMinor: account.balanceMinor, reversals };
  }

  const notices = () =>
    slack.callsTo('chat.postMessage').map((call) => [call.body.channel, call.body.text]);

  const refunded = (paymentIntentId: string, amountRefunded: number) =>
    stripeEvent(
      'charge.refunded',
      charge({
        amount: PAID_CENTS,
        amount_refunded: amountRefunded,
        currency: 'usd',
        payment_intent: paymentIntentId,
      }),
    );

  const disputeEvent = (
    type: 'charge.dispute.created' | 'charge.dispute.closed',
    fields: Partial<Stripe.Dispute>,
  ) => stripeEvent(type, dispute({ amount: PAID_CENTS, currency: 'usd', ...fields }));

  it('takes back the refunded share of the credits, once per refunded total', async () => {
    const { quote, paymentIntentId } = await creditedTopUp('T0REFUND');
    // Each delivery in order: Stripe's running total refunded (cents of the $119.00 paid), and
    // the balance after it (cents of credits).
    const deliveries: Array<[refundedCents: number, balanceMinor: bigint]> = [
      [5_950, 5_000n], // half the payment went back: half the credits go
      [11_900, 0n], // the rest went back: the rest of the credits go
      [5_950, 0n], // the first refund's event again, late: nothing moves
    ];

    for (const [refundedCents, balanceMinor] of deliveries) {
      expect(await postEvent(refunded(paymentIntentId, refundedCents))).toBe(200);
      expect((await accountOf(quote.accountId)).balanceMinor).toBe(balanceMinor);
    }

    expect((await accountOf(quote.accountId)).reversals).toEqual([
      ['refund', -5_000n],
      ['refund', -5_000n],
    ]);
    const refund = 'A payment of $100.00 was refunded, so $50.00 in credits were taken back.';
    expect(notices()).toEqual([
      ['C0GENERAL', `${refund} New balance: $50.00.`],
      ['C0GENERAL', `${refund} New balance: $0.00.`],
    ]);
  });

  it('ignores a refund of a payment that no top-up made', async () => {
    const { quote } = await creditedTopUp('T0STRANGER');

    expect(await postEvent(refunded('pi_test_someone_else', PAID_CENTS))).toBe(200);

    expect(await accountOf(quote.accountId)).toEqual({ balanceMinor: 10_000n, reversals: [] });
    expect(notices()).toEqual([]);
  });

  it('holds the credits of a disputed payment and releases them when the dispute is won', async () => {
    const { quote, paymentIntentId } = await creditedTopUp('T0DISPUTEWON');
    const id = 'dp_test_won000000000000001';
    const created = disputeEvent('charge.dispute.created', {
      id,
      payment_intent: paymentIntentId,
    });
    const won = disputeEvent('charge.dispute.closed', {
      id,
      payment_intent: paymentIntentId,
      status: 'won',
    });

    expect(await postEvent(created)).toBe(200);
    expect((await accountOf(quote.accountId)).balanceMinor).toBe(0n);
    expect(await postEvent(won)).toBe(200);
    expect([await postEvent(created), await postEvent(won)]).toEqual([200, 200]);

    expect(await accountOf(quote.accountId)).toEqual({
      balanceMinor: 10_000n,
      reversals: [
        ['dispute', -10_000n],
        ['dispute', 10_000n],
      ],
    });
    expect(notices()).toEqual([
      [
        'C0GENERAL',
        'A card payment of $100.00 is disputed with the bank, so $100.00 in credits are on hold ' +
          'until the dispute is settled. New balance: $0.00.',
      ],
      [
        'C0GENERAL',
        'The dispute over a payment of $100.00 was settled in our favour: $100.00 in credits are ' +
          'back. New balance: $100.00.',
      ],
    ]);
  });

  it('keeps the held credits of a lost dispute without debiting them twice', async () => {
    const first = await creditedTopUp('T0DISPUTELOST');
    const { quote, paymentIntentId } = await creditedTopUp('T0DISPUTELOST');
    expect(quote.accountId).toBe(first.quote.accountId);
    const id = 'dp_test_lost00000000000001';
    const created = disputeEvent('charge.dispute.created', {
      id,
      payment_intent: paymentIntentId,
    });
    const lost = disputeEvent('charge.dispute.closed', {
      id,
      payment_intent: paymentIntentId,
      status: 'lost',
    });

    expect(await postEvent(created)).toBe(200);
    expect(await postEvent(lost)).toBe(200);
    expect([await postEvent(created), await postEvent(lost)]).toEqual([200, 200]);

    expect(await accountOf(quote.accountId)).toEqual({
      balanceMinor: 10_000n,
      reversals: [['dispute', -10_000n]],
    });
    expect(notices()).toEqual([
      [
        'C0GENERAL',
        'A card payment of $100.00 is disputed with the bank, so $100.00 in credits are on hold ' +
          'until the dispute is settled. New balance: $100.00.',
      ],
      [
        'C0GENERAL',
        'The dispute over a payment of $100.00 was lost: the credits on hold stay taken back. ' +
          'Balance: $100.00.',
      ],
    ]);
  });

  it('debits a dispute first heard of as lost, once', async () => {
    const { quote, paymentIntentId } = await creditedTopUp('T0LOSTUNHEARD');
    const lost = disputeEvent('charge.dispute.closed', {
      id: 'dp_test_unheard00000000001',
      payment_intent: paymentIntentId,
      status: 'lost',
    });

    expect([await postEvent(lost), await postEvent(lost)]).toEqual([200, 200]);

    expect(await accountOf(quote.accountId)).toEqual({
      balanceMinor: 0n,
      reversals: [['dispute', -10_000n]],
    });
    expect(notices()).toEqual([
      [
        'C0GENERAL',
        'The dispute over a payment of $100.00 was lost: $100.00 in credits were taken back. ' +
          'Balance: $0.00.',
      ],
    ]);
  });
});
