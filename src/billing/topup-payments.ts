// What happens to a top-up quote as its payment goes through: credited exactly once when the
// payment provider says it was paid for the amount we quoted, or flagged for an operator.
import type { PrismaClient, TopUpQuote, TopUpStatus } from '../generated/prisma/client.ts';
import type { Actor, Place } from './actors.ts';
import { recordAudit } from './audit.ts';
import { isUniqueViolation } from './db-errors.ts';
import { appendLedgerEntry } from './ledger.ts';
import { formatMoney } from './money.ts';
import { findQuote } from './topups.ts';

/**
 * A completed payment, as the payment provider's own record states it (never its metadata).
 * `subtotalMinor` is what was paid for before tax, in minor units of `currency`; null when the
 * provider's amount has no exact value in those units.
 */
export interface CheckoutPayment {
  quoteId: string;
  sessionId: string;
  paymentIntentId: string | null;
  /** ISO 4217, lower case, as the provider charged it. */
  currency: string;
  subtotalMinor: bigint | null;
  /** The amount charged, tax included, in the provider's unit: refunds are shares of it. */
  totalProviderAmount: bigint;
  receiptUrl: string | null;
}

export type CreditOutcome =
  | { status: 'credited'; quote: TopUpQuote; balanceMinor: bigint }
  | { status: 'already_credited'; quote: TopUpQuote }
  | { status: 'mismatch'; quote: TopUpQuote; reason: string }
  | { status: 'unknown_quote' };

// Once money was taken it is credited, even on a quote we had given up on (a link that expired
// here a moment before it was paid). Only a mismatch waits for an operator.
const CREDITABLE: TopUpStatus[] = ['pending', 'open', 'awaiting_payment', 'expired', 'failed'];

class AlreadyCredited extends Error {}

/**
 * Credits a paid quote once, whatever the number of deliveries, replicas or reconciliations
 * that report the same payment: the quote's status change and the ledger entry (keyed by the
 * session) commit together. A payment that disagrees with the quote credits nothing.
 */
export async function creditTopUp(
  prisma: PrismaClient,
  payment: CheckoutPayment,
): Promise<CreditOutcome> {
  const quote = await findQuote(prisma, payment.quoteId);
  if (!quote) return { status: 'unknown_quote' };
  if (quote.status === 'credited') {
    // A second session paid for a quote already credited would be a second payment: an operator
    // must refund it, so it is reported as a mismatch (the credit stands).
    if (quote.stripeSessionId && quote.stripeSessionId !== payment.sessionId) {
      const reason = `paid again through session ${payment.sessionId} after being credited`;
      return { status: 'mismatch', quote, reason };
    }
    return { status: 'already_credited', quote };
  }

  const reason = mismatchReason(quote, payment);
  if (reason)
    return { status: 'mismatch', quote: await flagMismatch(prisma, quote, reason), reason };

  try {
    const balanceMinor = await prisma.$transaction(async (tx) => {
      const claimed = await tx.topUpQuote.updateMany({
        where: { id: quote.id, status: { in: CREDITABLE } },
        data: {
          status: 'credited',
          openKey: null,
          stripeSessionId: payment.sessionId,
          paymentIntentId: payment.paymentIntentId,
          paidStripeAmount: payment.totalProviderAmount,
          receiptUrl: payment.receiptUrl,
        },
      });
      if (claimed.count === 0) throw new AlreadyCredited();
      const applied = await appendLedgerEntry(tx, {
        accountId: quote.accountId,
        kind: 'topup',
        amountMinor: quote.amountMinor,
        description: `Card payment of ${formatMoney(quote.amountMinor, quote.currency)}`,
        actor: requesterOf(quote),
        place: placeOf(quote),
        idempotencyKey: `stripe:checkout:${payment.sessionId}`,
      });
      return applied.balanceMinor;
    });
    const credited = await prisma.topUpQuote.findUniqueOrThrow({ where: { id: quote.id } });
    return { status: 'credited', quote: credited, balanceMinor };
  } catch (error) {
    // Another delivery of the same payment won the race; ours rolled back whole.
    if (!(error instanceof AlreadyCredited) && !isUniqueViolation(error)) throw error;
    const now = await prisma.topUpQuote.findUniqueOrThrow({ where: { id: quote.id } });
    if (now.status === 'mismatch')
      return { status: 'mismatch', quote: now, reason: now.problem ?? '' };
    return { status: 'already_credited', quote: now };
  }
}

function mismatchReason(quote: TopUpQuote, payment: CheckoutPayment): string | null {
  if (quote.status === 'mismatch') return quote.problem ?? 'flagged earlier';
  if (quote.stripeSessionId && quote.stripeSessionId !== payment.sessionId) {
    return `paid through session ${payment.sessionId}, not the quote's ${quote.stripeSessionId}`;
  }
  if (payment.currency.toLowerCase() !== quote.currency) {
    return `paid in ${payment.currency.toUpperCase()}, quoted in ${quote.currency.toUpperCase()}`;
  }
  if (payment.subtotalMinor !== quote.amountMinor) {
    const paid = payment.subtotalMinor === null ? 'an amount with no exact value' : null;
    return (
      `paid for ${paid ?? formatMoney(payment.subtotalMinor ?? 0n, quote.currency)} before tax, ` +
      `quoted ${formatMoney(quote.amountMinor, quote.currency)}`
    );
  }
  return null;
}

async function flagMismatch(prisma: PrismaClient, quote: TopUpQuote, reason: string) {
  await prisma.$transaction(async (tx) => {
    const flagged = await tx.topUpQuote.updateMany({
      where: { id: quote.id, status: { in: CREDITABLE } },
      data: { status: 'mismatch', openKey: null, problem: reason.slice(0, 500) },
    });
    if (flagged.count === 0) return;
    await recordAudit(tx, {
      accountId: quote.accountId,
      action: 'topup.mismatch',
      actor: { platform: 'system', userId: 'billing-bot', userName: null },
      place: placeOf(quote),
      before: { status: quote.status },
      after: { status: 'mismatch', problem: reason },
    });
  });
  return prisma.topUpQuote.findUniqueOrThrow({ where: { id: quote.id } });
}

/**
 * Moves a quote from one of `from` to `to` (awaiting payment, failed, expired).
 * @returns the quote when this call made the change, null when it was made before or cannot be
 * made: only the caller that changed it tells anyone, so a redelivery sends no second message.
 */
export async function moveQuote(
  prisma: PrismaClient,
  quoteId: string,
  from: TopUpStatus[],
  to: 'awaiting_payment' | 'failed' | 'expired',
): Promise<TopUpQuote | null> {
  const quote = await findQuote(prisma, quoteId);
  if (!quote) return null;
  const closes = to !== 'awaiting_payment';
  const moved = await prisma.topUpQuote.updateMany({
    where: { id: quote.id, status: { in: from } },
    data: { status: to, ...(closes ? { openKey: null } : {}) },
  });
  return moved.count === 1 ? prisma.topUpQuote.findUnique({ where: { id: quote.id } }) : null;
}

/** The person who asked for a top-up, as the ledger and the audit log name them. */
export function requesterOf(quote: TopUpQuote): Actor {
  return {
    platform: quote.requesterPlatform as Actor['platform'],
    userId: quote.requesterId,
    userName: quote.requesterName,
  };
}

/** Where a top-up was asked for: the place its confirmation goes back to. */
export function placeOf(quote: TopUpQuote): Place {
  return {
    workspace: {
      platform: quote.requesterPlatform as Place['workspace']['platform'],
      externalId: quote.workspaceId,
    },
    channelId: quote.channelId,
  };
}
