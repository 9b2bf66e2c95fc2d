import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrCreateAccount } from '../../src/billing/accounts.ts';
import type { Actor } from '../../src/billing/actors.ts';
import { auditBalance } from '../../src/billing/ledger.ts';
import { creditTopUp } from '../../src/billing/topup-payments.ts';
import {
  closeDispute,
  creditShare,
  debitRefund,
  holdDispute,
} from '../../src/billing/topup-reversals.ts';
import { openTopUpQuote, recordCheckoutLink, type TopUpQuote } from '../../src/billing/topups.ts';
import type { Database } from '../../src/db/database.ts';
import { databaseTargets } from '../support/databases.ts';

const alice: Actor = { platform: 'slack', userId: 'U0ALICE', userName: 'Alice Example' };

// Every quote here is for $100.00 of credits, paid $119.00 with tax: Stripe's refunds and
// disputes are amounts of the $119.00, and give back the matching share of the $100.00.
const CHARGED = 11_900n;

describe.each(databaseTargets())('top-up reversals on $name', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  // A workspace whose $100.00 top-up was paid and credited through `pi_test_<tag>`.
  async function creditedTopUp(tag: string) {
    const prisma = database.prisma;
    const externalId = `T_${tag.toUpperCase()}`;
    const account = await findOrCreateAccount(prisma, { platform: 'slack', externalId }, 'usd');
    const place = { workspace: { platform: 'slack' as const, externalId }, channelId: 'C0BILLING' };
    const { quote } = await openTopUpQuote(
      prisma,
      { account, amountMinor: 10_000n, requester: alice, place },
      new Date(),
    );
    const sessionId = `cs_test_${tag}`;
    const url = `https://checkout.stripe.com/c/pay/${sessionId}`;
    await recordCheckoutLink(prisma, quote.id, { sessionId, url, expiresAt: new Date(2030, 0) });
    const credited = await creditTopUp(prisma, {
      quoteId: quote.id,
      sessionId,
      paymentIntentId: `pi_test_${tag}`,
      currency: 'usd',
      subtotalMinor: 10_000n,
      totalProviderAmount: CHARGED,
      receiptUrl: null,
    });
    if (credited.status !== 'credited') throw new Error(`top-up ${tag} was not credited`);
    return { account, quote: credited.quote, paymentIntentId: `pi_test_${tag}` };
  }

  const refund = (paymentIntentId: string, refundedTotal: bigint) =>
    debitRefund(database.prisma, { paymentIntentId, refundedTotal, chargedAmount: CHARGED });
  const dispute = (disputeId: string, paymentIntentId: string, disputedAmount = CHARGED) => ({
    disputeId,
    paymentIntentId,
    disputedAmount,
    chargedAmount: CHARGED,
  });

  // The entries after the top-up's credit, as [kind, amount], in the order they were written.
  async function reversalsOf(accountId: string) {
    const entries = await database.prisma.ledgerEntry.findMany({
      where: { accountId, kind: { not: 'topup' } },
      orderBy: { id: 'asc' },
    });
    return entries.map((entry) => [entry.kind, entry.amountMinor]);
  }

  // The stored balance, after checking it still equals the sum of the ledger's entries.
  async function balanceOf(accountId: string) {
    const audit = await auditBalance(database.prisma, accountId);
    expect(audit.storedMinor).toBe(audit.entriesMinor);
    return audit.storedMinor;
  }

  describe('creditShare', () => {
    let quote: TopUpQuote;
    beforeAll(async () => {
      ({ quote } = await creditedTopUp('share'));
    });

    // Stripe amount of the $119.00 charge, the credits it stands for, and why.
    it.each([
      { charged: 0n, credits: 0n, why: 'nothing' },
      { charged: 1n, credits: 0n, why: '10000 × 1 / 11900 = 0.84, rounded down' },
      { charged: 5_950n, credits: 5_000n, why: 'half the charge is half the credits' },
      { charged: 11_899n, credits: 9_999n, why: '10000 × 11899 / 11900 = 9999.16, rounded down' },
      { charged: 11_900n, credits: 10_000n, why: 'the whole charge is the whole credit' },
      { charged: 20_000n, credits: 10_000n, why: 'more than was charged counts as all of it' },
    ])('gives $credits credits for $charged of the charge ($why)', (row) => {
      expect(creditShare(quote, row.charged, CHARGED)).toBe(row.credits);
    });

    it('takes the charge from the report when the quote does not record it', () => {
      const unrecorded = { ...quote, paidStripeAmount: null };

      // 10000 × 5000 / 20000.
      expect(creditShare(unrecorded, 5_000n, 20_000n)).toBe(2_500n);
    });
  });

  describe('debitRefund', () => {
    it('debits what each growing running total adds, and nothing for a repeated or older one', async () => {
      const { account, paymentIntentId } = await creditedTopUp('refund_steps');

      const half = await refund(paymentIntentId, 5_950n);
      const whole = await refund(paymentIntentId, 11_900n);
      const repeated = await refund(paymentIntentId, 11_900n);
      const older = await refund(paymentIntentId, 5_950n);

      expect(half).toMatchObject({ status: 'applied', amountMinor: -5_000n, balanceMinor: 5_000n });
      expect(whole).toMatchObject({ status: 'applied', amountMinor: -5_000n, balanceMinor: 0n });
      expect(repeated).toEqual({ status: 'already_applied' });
      expect(older).toEqual({ status: 'already_applied' });
      expect(await reversalsOf(account.id)).toEqual([
        ['refund', -5_000n],
        ['refund', -5_000n],
      ]);
      expect(await balanceOf(account.id)).toBe(0n);
    });

    it('loses no unit to rounding over many small refunds', async () => {
      const { account, paymentIntentId } = await creditedTopUp('refund_small');

      // 1, then 5950, then 11900: rounded-down shares 0, 5000, 10000 of the credits.
      for (const total of [1n, 5_950n, 11_900n]) await refund(paymentIntentId, total);

      expect(await balanceOf(account.id)).toBe(0n);
      // The refund worth less than a cent wrote no zero-amount entry.
      expect(await reversalsOf(account.id)).toEqual([
        ['refund', -5_000n],
        ['refund', -5_000n],
      ]);
    });

    it('debits exactly the whole credit when two running totals are processed at once', async () => {
      // Five payments, each refunded half and then in full, both reports processed together.
      const topUps = await Promise.all(
        [1, 2, 3, 4, 5].map((index) => creditedTopUp(`refund_race_${index}`)),
      );

      await Promise.all(
        topUps.flatMap(({ paymentIntentId }) => [
          refund(paymentIntentId, 5_950n),
          refund(paymentIntentId, 11_900n),
        ]),
      );

      for (const { account } of topUps) {
        expect(await balanceOf(account.id)).toBe(0n);
        const refunded = (await reversalsOf(account.id)).map(([, amount]) => amount as bigint);
        expect(refunded.reduce((sum, amount) => sum + amount, 0n)).toBe(-10_000n);
      }
    });

    it('reports a payment that credited nothing here as unknown', async () => {
      expect(await refund('pi_test_never_seen', 5_950n)).toEqual({ status: 'unknown_payment' });
    });
  });

  describe('holdDispute and closeDispute', () => {
    it('holds the disputed share once', async () => {
      const { account, paymentIntentId } = await creditedTopUp('dispute_hold');
      const opened = dispute('dp_test_hold', paymentIntentId, 5_950n);

      const [first, second] = await Promise.all([
        holdDispute(database.prisma, opened),
        holdDispute(database.prisma, opened),
      ]);
      const repeated = await holdDispute(database.prisma, opened);

      expect([first.status, second.status].sort()).toEqual(['already_applied', 'applied']);
      expect(repeated).toEqual({ status: 'already_applied' });
      expect(await reversalsOf(account.id)).toEqual([['dispute', -5_000n]]);
      expect(await balanceOf(account.id)).toBe(5_000n);
    });

    it('gives the held credits back once when the dispute is won', async () => {
      const { account, paymentIntentId } = await creditedTopUp('dispute_won');
      const report = dispute('dp_test_won', paymentIntentId);
      const held = await holdDispute(database.prisma, report);

      const won = await closeDispute(database.prisma, report, 'won');
      const again = await closeDispute(database.prisma, report, 'won');

      expect(held).toMatchObject({ status: 'applied', amountMinor: -10_000n, balanceMinor: 0n });
      expect(won).toMatchObject({ status: 'applied', amountMinor: 10_000n, balanceMinor: 10_000n });
      expect(again).toEqual({ status: 'already_applied' });
      expect(await reversalsOf(account.id)).toEqual([
        ['dispute', -10_000n],
        ['dispute', 10_000n],
      ]);
      expect(await balanceOf(account.id)).toBe(10_000n);
    });

    it('keeps the held credits when the dispute is lost, moving the balance by nothing', async () => {
      const { account, paymentIntentId } = await creditedTopUp('dispute_lost');
      const report = dispute('dp_test_lost', paymentIntentId);
      await holdDispute(database.prisma, report);

      const lost = await closeDispute(database.prisma, report, 'lost');
      const again = await closeDispute(database.prisma, report, 'lost');

      expect(lost).toMatchObject({ status: 'applied', amountMinor: 0n, balanceMinor: 0n });
      expect(again).toEqual({ status: 'already_applied' });
      expect(await reversalsOf(account.id)).toEqual([['dispute', -10_000n]]);
      const stored = await database.prisma.topUpDispute.findUniqueOrThrow({
        where: { id: 'dp_test_lost' },
      });
      expect(stored).toMatchObject({ status: 'lost', heldMinor: 10_000n });
      expect(await balanceOf(account.id)).toBe(0n);
    });

    it('debits a lost dispute whose opening was never recorded', async () => {
      const { account, paymentIntentId } = await creditedTopUp('dispute_lost_unheld');

      const outcome = await closeDispute(
        database.prisma,
        dispute('dp_test_lost_unheld', paymentIntentId),
        'lost',
      );

      // The call moved the balance by the whole hold, and says so.
      expect(outcome).toMatchObject({ status: 'applied', amountMinor: -10_000n, balanceMinor: 0n });
      expect(await reversalsOf(account.id)).toEqual([['dispute', -10_000n]]);
      expect(await balanceOf(account.id)).toBe(0n);
    });

    it('leaves the balance as it was for a won dispute whose opening was never recorded', async () => {
      const { account, paymentIntentId } = await creditedTopUp('dispute_won_unheld');

      const outcome = await closeDispute(
        database.prisma,
        dispute('dp_test_won_unheld', paymentIntentId),
        'won',
      );

      // Held and released in one call: nothing moved in all.
      expect(outcome).toMatchObject({ status: 'applied', amountMinor: 0n, balanceMinor: 10_000n });
      expect(await reversalsOf(account.id)).toEqual([
        ['dispute', -10_000n],
        ['dispute', 10_000n],
      ]);
      expect(await balanceOf(account.id)).toBe(10_000n);
    });

    it('takes back no more than was credited when a refunded payment is disputed and lost', async () => {
      const { account, paymentIntentId } = await creditedTopUp('refund_then_dispute');

      await refund(paymentIntentId, 5_950n);
      const lost = await closeDispute(
        database.prisma,
        dispute('dp_test_after_refund', paymentIntentId),
        'lost',
      );

      // Half was refunded ($50.00); the dispute of the whole charge can take only the other half.
      expect(lost).toMatchObject({ status: 'applied', amountMinor: -5_000n, balanceMinor: 0n });
      expect(await reversalsOf(account.id)).toEqual([
        ['refund', -5_000n],
        ['dispute', -5_000n],
      ]);
    });

    it('refunds nothing more of credits already held by a dispute', async () => {
      const { account, paymentIntentId } = await creditedTopUp('dispute_then_refund');

      await holdDispute(database.prisma, dispute('dp_test_before_refund', paymentIntentId));
      const refunded = await refund(paymentIntentId, CHARGED);

      expect(refunded).toEqual({ status: 'already_applied' });
      expect(await balanceOf(account.id)).toBe(0n);
    });

    it('reports a dispute of a payment that credited nothing here as unknown', async () => {
      const report = dispute('dp_test_unknown', 'pi_test_never_seen');

      expect(await holdDispute(database.prisma, report)).toEqual({ status: 'unknown_payment' });
      expect(await closeDispute(database.prisma, report, 'lost')).toEqual({
        status: 'unknown_payment',
      });
    });
  });
});
