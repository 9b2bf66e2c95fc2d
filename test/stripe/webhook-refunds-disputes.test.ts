import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.ts';
import { dispute, stripeEvent } from '../support/stripe-events.ts';
import {
  ledgerOf,
  PAID_CENTS,
  PAID_WITH_TAX,
  refundedEvent,
  type StripeFlow,
  startStripeFlow,
} from '../support/stripe-flow.ts';

// Every top-up here is `/billing add 100` by Ada Admin in C0GENERAL: $100.00 of credits paid
// $119.00 with tax. Stripe's refunds and disputes are amounts of the $119.00 (11900 cents).

describe.each(databaseTargets())('Stripe refunds and disputes on $name', (target) => {
  let flow: StripeFlow;
  beforeAll(async () => {
    flow = await startStripeFlow({ database: await target.open() });
  });
  afterAll(() => flow?.close());
  beforeEach(() => flow.slack.reset());

  const postEvent = async (event: unknown) => (await flow.postEvent(event)).status;

  /**
   * `/billing add 100` in `team`, paid at the stand-in and credited by its signed webhook; the
   * channel's confirmation is cleared so each test counts only its own notices.
   */
  async function creditedTopUp(team: string) {
    const { quote: asked } = await flow.requestTopUp(team);
    const session = flow.stripe.setSessionPaid(asked.stripeSessionId ?? '', PAID_WITH_TAX);

    expect(await postEvent(stripeEvent('checkout.session.completed', session))).toBe(200);
    const where = { id: asked.id };
    const quote = await flow.bot.database.prisma.topUpQuote.findUniqueOrThrow({ where });
    expect(quote.status).toBe('credited');
    flow.slack.reset();
    return { quote, paymentIntentId: String(session.payment_intent) };
  }

  /** The account's balance and its ledger after the top-ups, as [kind, amount]. */
  async function accountOf(accountId: string) {
    const { balanceMinor, entries } = await ledgerOf(flow.bot.database.prisma, accountId);
    const reversals = entries
      .filter((entry) => entry.kind !== 'topup')
      .map((entry) => [entry.kind, entry.amountMinor]);
    return { balanceMinor, reversals };
  }

  const notices = () =>
    flow.slack.callsTo('chat.postMessage').map((call) => [call.body.channel, call.body.text]);

  /** One dispute of the $119.00 paid through `paymentIntentId`: its opening, and its close. */
  function disputeEvents(id: string, paymentIntentId: string, status: 'won' | 'lost') {
    const disputed = { amount: PAID_CENTS, currency: 'usd', id, payment_intent: paymentIntentId };
    return {
      created: stripeEvent('charge.dispute.created', dispute(disputed)),
      closed: stripeEvent('charge.dispute.closed', dispute({ ...disputed, status })),
    };
  }

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
      expect(await postEvent(refundedEvent(paymentIntentId, refundedCents))).toBe(200);
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

    expect(await postEvent(refundedEvent('pi_test_someone_else', PAID_CENTS))).toBe(200);

    expect(await accountOf(quote.accountId)).toEqual({ balanceMinor: 10_000n, reversals: [] });
    expect(notices()).toEqual([]);
  });

  it('holds the credits of a disputed payment and releases them when the dispute is won', async () => {
    const { quote, paymentIntentId } = await creditedTopUp('T0DISPUTEWON');
    const { created, closed: won } = disputeEvents(
      'dp_test_won000000000000001',
      paymentIntentId,
      'won',
    );

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
    const { created, closed: lost } = disputeEvents(
      'dp_test_lost00000000000001',
      paymentIntentId,
      'lost',
    );

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
    const lost = disputeEvents('dp_test_unheard00000000001', paymentIntentId, 'lost').closed;

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
