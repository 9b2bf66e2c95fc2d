// Money that goes back after a top-up was credited: refunds debit the refunded share of the
// credits; a dispute holds its share (a debit) until it is won (released) or lost (kept).
import type { PrismaClient, TopUpQuote } from '../generated/prisma/client.ts';
import { SYSTEM_ACTOR } from './actors.ts';
import { isUniqueViolation } from './db-errors.ts';
import { appendLedgerEntry } from './ledger.ts';
import { formatMoney } from './money.ts';
import { placeOf } from './topup-payments.ts';
import { findQuoteByPayment } from './topups.ts';

/**
 * What happened to the balance: how much this call moved it in all (minor units, signed), or
 * why nothing was done.
 */
export type ReversalOutcome =
  | { status: 'applied'; quote: TopUpQuote; amountMinor: bigint; balanceMinor: bigint }
  | { status: 'already_applied' }
  | { status: 'unknown_payment' };

/**
 * The credits that correspond to `providerAmount` of what was charged for a quote, rounded down
 * to a minor unit; the whole charge is the whole credit, exactly.
 */
export function creditShare(quote: TopUpQuote, providerAmount: bigint, chargedAmount: bigint) {
  const total = quote.paidStripeAmount ?? chargedAmount;
  if (total <= 0n) return 0n;
  const part = providerAmount < total ? providerAmount : total;
  return (quote.amountMinor * part) / total;
}

/** A refund as the payment provider reports it: the total refunded so far on the payment. */
export interface RefundReport {
  paymentIntentId: string;
  /** All refunds of the payment so far, in the provider's unit (tax included). */
  refundedTotal: bigint;
  /** What the payment charged, in the same unit. */
  chargedAmount: bigint;
}

// Two refund events of one payment may be processed at once: each reads the refunded total it
// starts from and writes only if nobody moved it meanwhile, retrying otherwise.
const REFUND_ATTEMPTS = 5;

/**
 * Debits the share of a top-up's credits that was refunded since the last report. Reports come
 * as running totals, so a late or repeated one debits nothing.
 */
export async function debitRefund(
  prisma: PrismaClient,
  report: RefundReport,
): Promise<ReversalOutcome> {
  for (let attempt = 0; attempt < REFUND_ATTEMPTS; attempt++) {
    const quote = await findQuoteByPayment(prisma, report.paymentIntentId);
    if (quote?.status !== 'credited') return { status: 'unknown_payment' };
    const before = quote.refundedStripeAmount;
    if (report.refundedTotal <= before) return { status: 'already_applied' };

    const refundedShare =
      creditShare(quote, report.refundedTotal, report.chargedAmount) -
      creditShare(quote, before, report.chargedAmount);
    const debitMinor = atMost(refundedShare, await stillCreditedMinor(prisma, quote, report));
    if (debitMinor === 0n) {
      // Less than one minor unit of credits: the running total moves on, the ledger does not.
      await prisma.topUpQuote.updateMany({
        where: { id: quote.id, refundedStripeAmount: before },
        data: { refundedStripeAmount: report.refundedTotal },
      });
      return { status: 'already_applied' };
    }
    try {
      const outcome = await prisma.$transaction(async (tx) => {
        const moved = await tx.topUpQuote.updateMany({
          where: { id: quote.id, refundedStripeAmount: before },
          data: { refundedStripeAmount: report.refundedTotal },
        });
        if (moved.count === 0) return null;
        return appendLedgerEntry(tx, {
          accountId: quote.accountId,
          kind: 'refund',
          amountMinor: -debitMinor,
          description:
            `Refund of a card payment of ${formatMoney(quote.amountMinor, quote.currency)}`.slice(
              0,
              500,
            ),
          actor: SYSTEM_ACTOR,
          place: placeOf(quote),
          idempotencyKey: `stripe:refund:${quote.id}:${report.refundedTotal}`,
        });
      });
      if (outcome) {
        return {
          status: 'applied',
          quote,
          amountMinor: -debitMinor,
          balanceMinor: outcome.balanceMinor,
        };
      }
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return { status: 'already_applied' };
    }
  }
  throw new Error(`Refund of ${report.paymentIntentId} kept racing with other refunds; retry.`);
}

/** A dispute as the payment provider reports it. */
export interface DisputeReport {
  disputeId: string;
  paymentIntentId: string;
  /** The disputed amount, in the provider's unit (tax included). */
  disputedAmount: bigint;
  chargedAmount: bigint;
}

/** Holds the disputed share of a top-up's credits: a debit, released if the dispute is won. */
export async function holdDispute(
  prisma: PrismaClient,
  report: DisputeReport,
): Promise<ReversalOutcome> {
  const quote = await findQuoteByPayment(prisma, report.paymentIntentId);
  if (quote?.status !== 'credited') return { status: 'unknown_payment' };

  const heldMinor = atMost(
    creditShare(quote, report.disputedAmount, report.chargedAmount),
    await stillCreditedMinor(prisma, quote, report),
  );
  try {
    const applied = await prisma.$transaction(async (tx) => {
      await tx.topUpDispute.create({
        data: { id: report.disputeId, quoteId: quote.id, heldMinor },
      });
      // Everything was taken back already (refunded, or held by another dispute).
      if (heldMinor === 0n) return null;
      return appendLedgerEntry(tx, {
        accountId: quote.accountId,
        kind: 'dispute',
        amountMinor: -heldMinor,
        description: 'Held while a card payment is disputed',
        actor: SYSTEM_ACTOR,
        place: placeOf(quote),
        idempotencyKey: `stripe:dispute:${report.disputeId}:hold`,
      });
    });
    if (!applied) return { status: 'already_applied' };
    return {
      status: 'applied',
      quote,
      amountMinor: -heldMinor,
      balanceMinor: applied.balanceMinor,
    };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return { status: 'already_applied' };
  }
}

/**
 * Closes a dispute: won releases the held credits, lost keeps them debited. A dispute whose
 * opening was never recorded is held first, so a lost one is debited all the same.
 */
export async function closeDispute(
  prisma: PrismaClient,
  report: DisputeReport,
  result: 'won' | 'lost',
): Promise<ReversalOutcome> {
  const opened = await holdDispute(prisma, report);
  if (opened.status === 'unknown_payment') return opened;

  const dispute = await prisma.topUpDispute.findUnique({
    where: { id: report.disputeId },
    include: { quote: true },
  });
  if (!dispute) return { status: 'unknown_payment' };
  try {
    const outcome = await prisma.$transaction(async (tx) => {
      const closed = await tx.topUpDispute.updateMany({
        where: { id: dispute.id, status: 'open' },
        data: { status: result },
      });
      if (closed.count === 0) return null;
      if (result === 'lost' || dispute.heldMinor === 0n) return 'kept' as const;
      const released = await appendLedgerEntry(tx, {
        accountId: dispute.quote.accountId,
        kind: 'dispute',
        amountMinor: dispute.heldMinor,
        description: 'Released: a disputed card payment was won',
        actor: SYSTEM_ACTOR,
        place: placeOf(dispute.quote),
        idempotencyKey: `stripe:dispute:${dispute.id}:release`,
      });
      return released.balanceMinor;
    });
    if (outcome === null) return { status: 'already_applied' };
    const account = await prisma.account.findUniqueOrThrow({
      where: { id: dispute.quote.accountId },
    });
    // What this call moved in all: a hold made just now counts too, so a dispute first heard of
    // as lost reads as a debit, and one first heard of as won as no change at all.
    const heldNow = opened.status === 'applied' ? opened.amountMinor : 0n;
    const amountMinor = heldNow + (result === 'won' ? dispute.heldMinor : 0n);
    return {
      status: 'applied',
      quote: dispute.quote,
      amountMinor,
      balanceMinor: account.balanceMinor,
    };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return { status: 'already_applied' };
  }
}

/**
 * What of a top-up's credits has not been taken back yet, by refunds or by disputes on hold or
 * lost: a payer refunded and then winning a dispute got the money back once, and the credits
 * go once too.
 */
async function stillCreditedMinor(
  prisma: PrismaClient,
  quote: TopUpQuote,
  report: { chargedAmount: bigint },
): Promise<bigint> {
  const held = await prisma.topUpDispute.aggregate({
    where: { quoteId: quote.id, status: { in: ['open', 'lost'] } },
    _sum: { heldMinor: true },
  });
  const refunded = creditShare(quote, quote.refundedStripeAmount, report.chargedAmount);
  return quote.amountMinor - refunded - (held._sum.heldMinor ?? 0n);
}

function atMost(amountMinor: bigint, limitMinor: bigint): bigint {
  if (limitMinor <= 0n) return 0n;
  return amountMinor < limitMinor ? amountMinor : limitMinor;
}
