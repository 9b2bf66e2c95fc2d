// What `/billing balance` tells: the balance, the last top-up, recent usage and the runway.
import type { Account, PrismaClient } from '../generated/prisma/client.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A balance and what it bought lately. Amounts are minor units of `currency`. */
export interface BalanceSummary {
  currency: string;
  balanceMinor: bigint;
  lastTopUp: { amountMinor: bigint; at: Date } | null;
  /** Usage charged in the last 7 days, as a positive amount. */
  usageLast7DaysMinor: bigint;
  /** Whole days the balance lasts at the last 7 days' rate; null without usage or balance. */
  runwayDays: number | null;
}

/** Summarises an account at the instant `now`. */
export async function summariseBalance(
  prisma: PrismaClient,
  account: Account,
  now: Date,
): Promise<BalanceSummary> {
  const since = new Date(now.getTime() - 7 * DAY_MS);
  const [lastTopUp, usage] = await Promise.all([
    lastTopUpEntry(prisma, account.id),
    usageSince(prisma, account.id, since),
  ]);

  const usageLast7DaysMinor = usage;
  return {
    currency: account.currency,
    balanceMinor: account.balanceMinor,
    lastTopUp: lastTopUp ? { amountMinor: lastTopUp.amountMinor, at: lastTopUp.createdAt } : null,
    usageLast7DaysMinor,
    runwayDays: runwayDays(account.balanceMinor, usageLast7DaysMinor),
  };
}

/** Whole days `balanceMinor` lasts when `usageWeekMinor` is spent every 7 days. */
export function runwayDays(balanceMinor: bigint, usageWeekMinor: bigint): number | null {
  if (usageWeekMinor <= 0n || balanceMinor <= 0n) return null;
  return Number((balanceMinor * 7n) / usageWeekMinor);
}

/**
 * Usage charged since `since`, as a positive amount in minor units. Usage counts by when it
 * happened as the platform reported it (late reports of old usage do not inflate this week).
 */
export async function usageSince(prisma: PrismaClient, accountId: string, since: Date) {
  const usage = await prisma.ledgerEntry.aggregate({
    where: {
      accountId,
      kind: 'usage',
      OR: [{ occurredAt: { gte: since } }, { occurredAt: null, createdAt: { gte: since } }],
    },
    _sum: { amountMinor: true },
  });
  return -(usage._sum.amountMinor ?? 0n);
}

/** The latest credit from a top-up of an account, or null before the first one. */
export function lastTopUpEntry(prisma: PrismaClient, accountId: string) {
  return prisma.ledgerEntry.findFirst({
    where: { accountId, kind: 'topup', amountMinor: { gt: 0n } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
}
