// Top-up quotes: what an admin asked to pay, stored before any money moves, so that every later
// fact from the payment provider is checked against what we offered and not against its payload.
import type { PrismaClient, TopUpQuote, TopUpStatus } from '../generated/prisma/client.ts';
import type { Account } from './accounts.ts';
import type { Actor, Place } from './actors.ts';
import { recordAudit } from './audit.ts';
import { isUniqueViolation } from './db-errors.ts';

export type { TopUpQuote, TopUpStatus } from '../generated/prisma/client.ts';

// A link with less time than this left is not handed out again: the admin would land on an
// expired page halfway through paying.
const REUSE_MARGIN_MS = 10 * 60 * 1000;
const PENDING_REUSE_MS = 10 * 60 * 1000;

/** Statuses in which the quote may still be paid and credited. */
export const PAYABLE_STATUSES: readonly TopUpStatus[] = ['pending', 'open', 'awaiting_payment'];

/** A request for credits, as a command understood it. */
export interface TopUpRequest {
  account: Account;
  /** Credits asked for, in minor units of the account's currency. */
  amountMinor: bigint;
  requester: Actor;
  place: Place;
}

/** A quote to pay, and whether it was the earlier one of the same request. */
export interface OpenedQuote {
  quote: TopUpQuote;
  reused: boolean;
}

/**
 * Stores a pending quote for a top-up, or returns the open one of the same person for the same
 * amount (a repeated command, a double click, a retried delivery), so one request gets one link.
 * Safe when the same request arrives twice at once, on one replica or two.
 */
export async function openTopUpQuote(
  prisma: PrismaClient,
  request: TopUpRequest,
  now: Date,
): Promise<OpenedQuote> {
  const { account, requester, amountMinor } = request;
  const openKey = `${account.id}:${requester.platform}:${requester.userId}:${amountMinor}`;

  const earlier = await prisma.topUpQuote.findUnique({ where: { openKey } });
  if (earlier && isReusable(earlier, now)) return { quote: earlier, reused: true };
  if (earlier) await closeStaleQuote(prisma, earlier, now);

  try {
    const quote = await prisma.$transaction(async (tx) => {
      const created = await tx.topUpQuote.create({
        data: {
          accountId: account.id,
          amountMinor,
          currency: account.currency,
          requesterPlatform: requester.platform,
          requesterId: requester.userId,
          requesterName: requester.userName,
          workspaceId: request.place.workspace.externalId,
          channelId: request.place.channelId,
          openKey,
        },
      });
      await recordAudit(tx, {
        accountId: account.id,
        action: 'topup.requested',
        actor: requester,
        place: request.place,
        after: { quoteId: created.id, amountMinor, currency: account.currency },
      });
      return created;
    });
    return { quote, reused: false };
  } catch (error) {
    // The same request committed its quote first on another replica: share it.
    if (!isUniqueViolation(error)) throw error;
    const winner = await prisma.topUpQuote.findUnique({ where: { openKey } });
    if (!winner) throw error;
    return { quote: winner, reused: true };
  }
}

function isReusable(quote: TopUpQuote, now: Date): boolean {
  // A pending quote is one whose page is being made, or whose making failed for a moment; past
  // a few minutes it was abandoned, and its page would be made with too little time left.
  if (quote.status === 'pending') {
    return now.getTime() - quote.createdAt.getTime() < PENDING_REUSE_MS;
  }
  // A delayed payment (a bank debit) is on its way: asking again must not open a second one.
  if (quote.status === 'awaiting_payment') return true;
  if (quote.status !== 'open' || !quote.expiresAt) return false;
  return quote.expiresAt.getTime() - now.getTime() > REUSE_MARGIN_MS;
}

// Frees the open key for a new quote. A link past its expiry, or a page never recorded, is
// marked expired here: the payment provider's own expiry event may come later or not at all.
// Should it be paid after all, crediting still takes it (see topup-payments.ts).
async function closeStaleQuote(prisma: PrismaClient, quote: TopUpQuote, now: Date) {
  const pastExpiry = quote.status === 'open' && quote.expiresAt !== null && quote.expiresAt <= now;
  const closes = pastExpiry || quote.status === 'pending';
  await prisma.topUpQuote.updateMany({
    where: { id: quote.id, openKey: quote.openKey },
    data: { openKey: null, ...(closes ? { status: 'expired' as const } : {}) },
  });
}

/** Where the payment page of a quote is, once the payment provider made it. */
export interface CheckoutLink {
  sessionId: string;
  url: string;
  expiresAt: Date;
}

/**
 * Records the payment page made for a pending quote and opens the quote. Idempotent: recording
 * the same session again (two replicas that raced on one quote) changes nothing.
 * @returns the quote as stored afterwards.
 */
export async function recordCheckoutLink(
  prisma: PrismaClient,
  quoteId: string,
  link: CheckoutLink,
): Promise<TopUpQuote> {
  await prisma.topUpQuote.updateMany({
    where: { id: quoteId, status: 'pending' },
    data: {
      status: 'open',
      stripeSessionId: link.sessionId,
      checkoutUrl: link.url,
      expiresAt: link.expiresAt,
    },
  });
  return prisma.topUpQuote.findUniqueOrThrow({ where: { id: quoteId } });
}

/**
 * Gives up a quote whose payment page could not be made, so the next request starts afresh.
 * Nothing was charged: the page never existed.
 */
export async function abandonQuote(prisma: PrismaClient, quoteId: string, reason: string) {
  await prisma.topUpQuote.updateMany({
    where: { id: quoteId, status: 'pending' },
    data: { status: 'failed', openKey: null, problem: reason.slice(0, 500) },
  });
}

/** The quote a payment session belongs to, by our id as the session carries it. */
export function findQuote(prisma: PrismaClient, quoteId: string) {
  // Ids from outside are checked for shape: a malformed one would be a database error.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(quoteId)) {
    return Promise.resolve(null);
  }
  return prisma.topUpQuote.findUnique({ where: { id: quoteId } });
}

/** The quote paid by a payment (Stripe's PaymentIntent id), for refunds and disputes. */
export function findQuoteByPayment(prisma: PrismaClient, paymentIntentId: string) {
  return prisma.topUpQuote.findUnique({ where: { paymentIntentId } });
}

/** The latest quotes of an account, newest first, for `/billing history`. */
export function recentQuotes(prisma: PrismaClient, accountId: string, limit = 5) {
  return prisma.topUpQuote.findMany({
    where: { accountId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
  });
}
