import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrCreateAccount } from '../../src/billing/accounts.ts';
import type { Actor, Place } from '../../src/billing/actors.ts';
import { auditBalance } from '../../src/billing/ledger.ts';
import { type CheckoutPayment, creditTopUp, moveQuote } from '../../src/billing/topup-payments.ts';
import {
  abandonQuote,
  findQuote,
  openTopUpQuote,
  recentQuotes,
  recordCheckoutLink,
} from '../../src/billing/topups.ts';
import type { Database } from '../../src/db/database.ts';
import { databaseTargets } from '../support/databases.ts';

const MINUTE_MS = 60_000;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const alice: Actor = { platform: 'slack', userId: 'U0ALICE', userName: 'Alice Example' };
const bob: Actor = { platform: 'slack', userId: 'U0BOB', userName: 'Bob Example' };

describe.each(databaseTargets())('top-up quotes on $name', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  // A USD workspace whose members ask for top-ups from its #billing channel.
  async function workspace(externalId: string) {
    const prisma = database.prisma;
    const account = await findOrCreateAccount(prisma, { platform: 'slack', externalId }, 'usd');
    const place: Place = { workspace: { platform: 'slack', externalId }, channelId: 'C0BILLING' };
    const ask = (amountMinor: bigint, requester = alice, now = new Date()) =>
      openTopUpQuote(prisma, { account, amountMinor, requester, place }, now);
    const link = (quoteId: string, sessionId: string, expiresAt = inMinutes(30)) =>
      recordCheckoutLink(prisma, quoteId, {
        sessionId,
        url: `https://checkout.stripe.com/c/pay/${sessionId}`,
        expiresAt,
      });
    return { account, ask, link };
  }

  const inMinutes = (minutes: number) => new Date(Date.now() + minutes * MINUTE_MS);
  const reread = (quoteId: string) =>
    database.prisma.topUpQuote.findUniqueOrThrow({ where: { id: quoteId } });
  const entriesOf = (accountId: string) =>
    database.prisma.ledgerEntry.findMany({ where: { accountId }, orderBy: { id: 'asc' } });
  const mismatchAudits = (accountId: string) =>
    database.prisma.auditEvent.findMany({ where: { accountId, action: 'topup.mismatch' } });

  describe('openTopUpQuote', () => {
    it('gives the same person asking for the same amount again the same pending quote', async () => {
      const { account, ask } = await workspace('T_SAME');

      const first = await ask(10_000n);
      const again = await ask(10_000n);

      expect(first.reused).toBe(false);
      expect(first.quote).toMatchObject({
        status: 'pending',
        amountMinor: 10_000n,
        currency: 'usd',
        requesterId: 'U0ALICE',
        workspaceId: 'T_SAME',
        channelId: 'C0BILLING',
        openKey: `${account.id}:slack:U0ALICE:10000`,
      });
      expect(again).toEqual({ quote: first.quote, reused: true });
      const audits = await database.prisma.auditEvent.findMany({
        where: { accountId: account.id, action: 'topup.requested' },
      });
      expect(audits).toHaveLength(1);
    });

    it('gives another amount or another person a quote of its own', async () => {
      const { ask } = await workspace('T_OTHERS');

      const asked = [await ask(10_000n), await ask(20_000n), await ask(10_000n, bob)];

      expect(asked.map((opened) => opened.reused)).toEqual([false, false, false]);
      expect(new Set(asked.map((opened) => opened.quote.id)).size).toBe(3);
    });

    it('makes one quote of two identical requests at the same instant', async () => {
      const { account, ask } = await workspace('T_TWICE_AT_ONCE');
      const now = new Date();

      const [one, two] = await Promise.all([ask(10_000n, alice, now), ask(10_000n, alice, now)]);

      expect(one.quote.id).toBe(two.quote.id);
      expect([one.reused, two.reused].sort()).toEqual([false, true]);
      const stored = await database.prisma.topUpQuote.count({ where: { accountId: account.id } });
      expect(stored).toBe(1);
    });

    // Time left on the link when the same request comes again, and what becomes of the old quote.
    it.each([
      { left: '10 min 1 ms', leftMs: 10 * MINUTE_MS + 1, reused: true, oldStatus: 'open' },
      { left: 'exactly 10 min', leftMs: 10 * MINUTE_MS, reused: false, oldStatus: 'open' },
      { left: '5 min', leftMs: 5 * MINUTE_MS, reused: false, oldStatus: 'open' },
      { left: 'no time', leftMs: 0, reused: false, oldStatus: 'expired' },
      { left: '-1 min (past)', leftMs: -MINUTE_MS, reused: false, oldStatus: 'expired' },
    ])('with $left left on the link, reuses it: $reused', async (row) => {
      const { ask, link } = await workspace(`T_LINK_${row.leftMs}`);
      const { quote } = await ask(10_000n);
      const now = new Date();
      await link(quote.id, `cs_test_left_${row.leftMs}`, new Date(now.getTime() + row.leftMs));

      const again = await ask(10_000n, alice, now);

      expect(again.reused).toBe(row.reused);
      expect(again.quote.id === quote.id).toBe(row.reused);
      const old = await reread(quote.id);
      expect(old.status).toBe(row.oldStatus);
      expect(old.openKey === null).toBe(!row.reused);
    });

    it('gives the quote of a delayed payment on its way, not a second link', async () => {
      const { ask, link } = await workspace('T_DELAYED');
      const first = await ask(10_000n);
      await link(first.quote.id, 'cs_test_delayed');
      await moveQuote(database.prisma, first.quote.id, ['open'], 'awaiting_payment');

      const again = await ask(10_000n);

      expect(again.reused).toBe(true);
      expect(again.quote).toMatchObject({ id: first.quote.id, status: 'awaiting_payment' });
    });

    it('gives up a pending quote older than ten minutes and starts a new one', async () => {
      const { ask } = await workspace('T_PENDING_STALE');
      const { quote } = await ask(10_000n);

      const later = await ask(10_000n, alice, inMinutes(11));

      expect(later.reused).toBe(false);
      expect(later.quote.id).not.toBe(quote.id);
      expect(await reread(quote.id)).toMatchObject({ status: 'expired', openKey: null });
    });
  });

  it('recordCheckoutLink opens a pending quote once; a repeat or another link changes nothing', async () => {
    const { ask, link } = await workspace('T_RECORD');
    const { quote } = await ask(10_000n);
    const expiresAt = new Date('2030-01-01T12:00:00.000Z');

    const opened = await link(quote.id, 'cs_test_record', expiresAt);
    const repeated = await link(quote.id, 'cs_test_record', expiresAt);
    const raced = await link(quote.id, 'cs_test_record_second', new Date('2030-01-02T00:00Z'));

    expect(opened).toMatchObject({
      status: 'open',
      stripeSessionId: 'cs_test_record',
      checkoutUrl: 'https://checkout.stripe.com/c/pay/cs_test_record',
      expiresAt,
    });
    expect(repeated).toEqual(opened);
    expect(raced).toEqual(opened);
  });

  it('abandonQuote fails a pending quote, freeing its request, and leaves an open one', async () => {
    const { ask, link } = await workspace('T_ABANDON');
    const pending = (await ask(10_000n)).quote;
    const opened = await link((await ask(20_000n)).quote.id, 'cs_test_abandon_open');

    await abandonQuote(database.prisma, pending.id, 'Stripe refused the amount');
    await abandonQuote(database.prisma, opened.id, 'too late');
    const next = await ask(10_000n);

    expect(await reread(pending.id)).toMatchObject({
      status: 'failed',
      openKey: null,
      problem: 'Stripe refused the amount',
    });
    expect(next.reused).toBe(false);
    expect(next.quote.id).not.toBe(pending.id);
    expect(await reread(opened.id)).toEqual(opened);
  });

  it('findQuote finds a quote by its id, and nothing by an unknown or malformed one', async () => {
    const { quote } = await (await workspace('T_FIND')).ask(10_000n);

    expect(await findQuote(database.prisma, quote.id)).toEqual(quote);
    expect(await findQuote(database.prisma, quote.id.toUpperCase())).toEqual(quote);
    expect(await findQuote(database.prisma, UNKNOWN_ID)).toBeNull();
    expect(await findQuote(database.prisma, "quote'; --")).toBeNull();
  });

  it("recentQuotes lists an account's latest quotes, newest first, up to the limit", async () => {
    const { account, ask } = await workspace('T_RECENT');
    await (await workspace('T_RECENT_OTHER')).ask(99_900n);
    // Creation times set an hour apart: the order must not hang on the clock's resolution.
    for (const [hour, amountMinor] of [1_000n, 2_000n, 3_000n].entries()) {
      const { quote } = await ask(amountMinor);
      const createdAt = new Date(`2026-01-01T1${hour}:00:00Z`);
      await database.prisma.topUpQuote.update({ where: { id: quote.id }, data: { createdAt } });
    }

    const latestTwo = await recentQuotes(database.prisma, account.id, 2);

    expect(latestTwo.map((quote) => quote.amountMinor)).toEqual([3_000n, 2_000n]);
  });

  describe('creditTopUp', () => {
    // An open quote for $100.00, and Stripe's record of its payment: $119.00 with tax.
    async function openQuote(externalId: string, sessionId: string) {
      const { account, ask, link } = await workspace(externalId);
      const quote = await link((await ask(10_000n)).quote.id, sessionId);
      const payment: CheckoutPayment = {
        quoteId: quote.id,
        sessionId,
        paymentIntentId: `pi_test_${externalId}`,
        currency: 'usd',
        subtotalMinor: 10_000n,
        totalProviderAmount: 11_900n,
        receiptUrl: `https://invoice.stripe.com/i/${sessionId}`,
      };
      return { account, quote, payment, ask };
    }

    it("credits the quoted amount once, under the session's key", async () => {
      const { account, quote, payment } = await openQuote('T_CREDIT', 'cs_test_credit');

      const first = await creditTopUp(database.prisma, payment);
      const again = await creditTopUp(database.prisma, { ...payment, currency: 'USD' });

      expect(first).toMatchObject({ status: 'credited', balanceMinor: 10_000n });
      expect(again.status).toBe('already_credited');
      expect(await reread(quote.id)).toMatchObject({
        status: 'credited',
        openKey: null,
        paidStripeAmount: 11_900n,
        paymentIntentId: 'pi_test_T_CREDIT',
        receiptUrl: 'https://invoice.stripe.com/i/cs_test_credit',
      });
      const entries = await entriesOf(account.id);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        kind: 'topup',
        amountMinor: 10_000n,
        idempotencyKey: 'stripe:checkout:cs_test_credit',
      });
    });

    it('credits once when ten deliveries of one payment arrive at once', async () => {
      const { account, payment } = await openQuote('T_CREDIT_RACE', 'cs_test_credit_race');

      const outcomes = await Promise.all(
        Array.from({ length: 10 }, () => creditTopUp(database.prisma, payment)),
      );

      const statuses = outcomes.map((outcome) => outcome.status);
      expect(statuses.filter((status) => status === 'credited')).toHaveLength(1);
      expect(statuses.filter((status) => status === 'already_credited')).toHaveLength(9);
      expect(await entriesOf(account.id)).toHaveLength(1);
      expect(await auditBalance(database.prisma, account.id)).toEqual({
        storedMinor: 10_000n,
        entriesMinor: 10_000n,
        matches: true,
      });
    });

    // What Stripe reported unlike the $100.00 quote, and the problem left for an operator.
    it.each([
      { case: 'currency', change: { currency: 'eur' }, problem: 'paid in EUR, quoted in USD' },
      {
        case: 'subtotal',
        change: { subtotalMinor: 20_000n },
        problem: 'paid for $200.00 before tax, quoted $100.00',
      },
      {
        case: 'unknown_subtotal',
        change: { subtotalMinor: null },
        problem: 'paid for an amount with no exact value before tax, quoted $100.00',
      },
      {
        case: 'session',
        change: { sessionId: 'cs_test_elsewhere' },
        problem: "paid through session cs_test_elsewhere, not the quote's cs_test_mm_session",
      },
    ])('credits nothing and flags a payment with another $case', async (row) => {
      const opened = await openQuote(`T_MISMATCH_${row.case}`, `cs_test_mm_${row.case}`);

      const outcome = await creditTopUp(database.prisma, { ...opened.payment, ...row.change });

      expect(outcome).toMatchObject({ status: 'mismatch', reason: row.problem });
      expect(await reread(opened.quote.id)).toMatchObject({
        status: 'mismatch',
        openKey: null,
        problem: row.problem,
      });
      expect(await entriesOf(opened.account.id)).toHaveLength(0);
      const flagged = await mismatchAudits(opened.account.id);
      expect(flagged.map((event) => event.after)).toEqual([
        { status: 'mismatch', problem: row.problem },
      ]);
    });

    it('keeps a flagged quote flagged when a correct payment of it is reported later', async () => {
      const { account, quote, payment } = await openQuote('T_MM_LATER', 'cs_test_mm_later');
      await creditTopUp(database.prisma, { ...payment, subtotalMinor: 20_000n });

      const later = await creditTopUp(database.prisma, payment);

      const problem = 'paid for $200.00 before tax, quoted $100.00';
      expect(later).toMatchObject({ status: 'mismatch', reason: problem });
      expect(await reread(quote.id)).toMatchObject({ status: 'mismatch', problem });
      expect(await entriesOf(account.id)).toHaveLength(0);
      expect(await mismatchAudits(account.id)).toHaveLength(1);
    });

    it('reports a quote id that is not ours, or not an id at all, as unknown', async () => {
      const { payment } = await openQuote('T_UNKNOWN_QUOTE', 'cs_test_unknown_quote');

      for (const quoteId of [UNKNOWN_ID, 'quote-1']) {
        expect(await creditTopUp(database.prisma, { ...payment, quoteId })).toEqual({
          status: 'unknown_quote',
        });
      }
    });

    // Money taken is credited even when the quote was closed here before the payment arrived.
    it.each([
      { closed: 'expired', how: 'asked again after its link ran out' },
      { closed: 'failed', how: 'its delayed payment failed first' },
    ])('credits a quote closed as $closed ($how) that is paid after all', async (row) => {
      const opened = await openQuote(`T_PAID_${row.closed}`, `cs_test_paid_${row.closed}`);
      const quoteId = opened.quote.id;
      if (row.closed === 'expired') await opened.ask(10_000n, alice, inMinutes(31));
      if (row.closed === 'failed') {
        await moveQuote(database.prisma, quoteId, ['open'], 'awaiting_payment');
        await moveQuote(database.prisma, quoteId, ['awaiting_payment'], 'failed');
      }
      expect((await reread(quoteId)).status).toBe(row.closed);

      const outcome = await creditTopUp(database.prisma, opened.payment);

      expect(outcome).toMatchObject({ status: 'credited', balanceMinor: 10_000n });
      expect((await auditBalance(database.prisma, opened.account.id)).entriesMinor).toBe(10_000n);
    });
  });

  describe('moveQuote', () => {
    it('moves a quote only from the listed statuses', async () => {
      const { ask, link } = await workspace('T_MOVE');
      const { id } = await link((await ask(10_000n)).quote.id, 'cs_test_move');

      const notPending = await moveQuote(database.prisma, id, ['pending'], 'expired');
      const awaiting = await moveQuote(database.prisma, id, ['open'], 'awaiting_payment');
      const failed = await moveQuote(database.prisma, id, ['awaiting_payment'], 'failed');
      const afterFailed = await moveQuote(database.prisma, id, ['open'], 'expired');

      expect(notPending).toBeNull();
      expect(awaiting?.status).toBe('awaiting_payment');
      expect(failed?.status).toBe('failed');
      expect(afterFailed).toBeNull();
      expect(await reread(id)).toMatchObject({ status: 'failed', openKey: null });
      expect(await moveQuote(database.prisma, UNKNOWN_ID, ['open'], 'expired')).toBeNull();
    });

    it('returns the quote only to the one of two concurrent callers that moved it', async () => {
      const { ask, link } = await workspace('T_MOVE_RACE');
      const { id } = await link((await ask(10_000n)).quote.id, 'cs_test_move_race');

      const moved = await Promise.all([
        moveQuote(database.prisma, id, ['open'], 'expired'),
        moveQuote(database.prisma, id, ['open'], 'expired'),
      ]);

      expect(moved.filter((quote) => quote !== null)).toHaveLength(1);
      expect((await reread(id)).status).toBe('expired');
    });
  });
});
