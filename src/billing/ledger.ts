// The ledger: an append-only list of signed entries per account, and the account's balance kept
// equal to their sum. Each entry and its balance change commit together, or not at all.
import type { LedgerEntry, LedgerKind, Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { Actor, Place } from './actors.ts';
import { recordAudit } from './audit.ts';
import { isUniqueViolation } from './db-errors.ts';

export type { LedgerEntry, LedgerKind } from '../generated/prisma/client.ts';

/** A change to apply to an account's balance. */
export interface LedgerChange {
  accountId: string;
  kind: LedgerKind;
  /** Signed, in minor units of the account's currency: credits positive, debits negative. */
  amountMinor: bigint;
  description: string;
  actor: Actor;
  place: Place | null;
  /**
   * Names the source of the change (`stripe:checkout:cs_…`, `usage:<id>`). A second change with
   * the same key is not applied: Stripe and the platform both retry deliveries.
   */
  idempotencyKey: string;
  /** When usage happened, as reported; omitted for other kinds. */
  occurredAt?: Date;
}

/** What became of a change: applied now, or found already applied earlier under its key. */
export type LedgerOutcome =
  | { status: 'applied'; entry: LedgerEntry; balanceMinor: bigint }
  | { status: 'already_applied'; entry: LedgerEntry; balanceMinor: bigint };

/**
 * Appends an entry and moves the balance by its amount, in one transaction.
 * The balance may go below zero (usage can overdraw); callers that must not overdraw check first.
 * @throws when the account does not exist, or the key was used for a different account.
 */
export async function applyLedgerChange(
  prisma: PrismaClient,
  change: LedgerChange,
): Promise<LedgerOutcome> {
  const earlier = await findByKey(prisma, change);
  if (earlier) return earlier;

  try {
    return await prisma.$transaction((tx) => appendLedgerEntry(tx, change));
  } catch (error) {
    // The same key committed by a concurrent request (or replica) while ours ran: ours rolled
    // back whole, balance included, so report theirs.
    if (!isUniqueViolation(error)) throw error;
    const winner = await findByKey(prisma, change);
    if (!winner) throw error;
    return winner;
  }
}

/**
 * Appends an entry and moves the balance inside the caller's transaction, so that a change of
 * state elsewhere (a top-up marked credited) commits with it or not at all.
 * @throws a unique violation when the key was used before; the caller's transaction then fails.
 */
export async function appendLedgerEntry(tx: Prisma.TransactionClient, change: LedgerChange) {
  // The increment locks the account row: concurrent changes to one account queue here.
  const account = await tx.account.update({
    where: { id: change.accountId },
    data: { balanceMinor: { increment: change.amountMinor }, alertCheckDue: true },
  });
  const entry = await tx.ledgerEntry.create({
    data: {
      accountId: change.accountId,
      kind: change.kind,
      amountMinor: change.amountMinor,
      balanceAfterMinor: account.balanceMinor,
      description: change.description.slice(0, 500),
      actorPlatform: change.actor.platform,
      actorId: change.actor.userId,
      actorName: change.actor.userName,
      idempotencyKey: change.idempotencyKey,
      occurredAt: change.occurredAt ?? null,
    },
  });
  await recordAudit(tx, {
    accountId: change.accountId,
    action: `ledger.${change.kind}`,
    actor: change.actor,
    place: change.place,
    after: {
      entryId: entry.id,
      amountMinor: entry.amountMinor,
      balanceMinor: account.balanceMinor,
    },
  });
  return { status: 'applied' as const, entry, balanceMinor: account.balanceMinor };
}

/** The entry already written under a change's key, with the account's balance now. */
export async function findByKey(
  prisma: PrismaClient,
  change: LedgerChange,
): Promise<LedgerOutcome | null> {
  const entry = await prisma.ledgerEntry.findUnique({
    where: { idempotencyKey: change.idempotencyKey },
  });
  if (!entry) return null;
  if (entry.accountId !== change.accountId) {
    throw new Error(
      `Idempotency key ${change.idempotencyKey} already belongs to account ${entry.accountId}, ` +
        `not ${change.accountId}: two sources produced the same key.`,
    );
  }
  const account = await prisma.account.findUniqueOrThrow({ where: { id: change.accountId } });
  return { status: 'already_applied', entry, balanceMinor: account.balanceMinor };
}

/** The latest entries of an account, newest first. */
export function recentEntries(prisma: PrismaClient, accountId: string, limit = 10) {
  return prisma.ledgerEntry.findMany({
    where: { accountId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
  });
}

/**
 * Recomputes the balance from the entries and compares it with the stored one.
 * @returns both sums, in minor units; they differ only if the database was edited by hand.
 */
export async function auditBalance(prisma: PrismaClient, accountId: string) {
  const [account, sum] = await Promise.all([
    prisma.account.findUniqueOrThrow({ where: { id: accountId } }),
    prisma.ledgerEntry.aggregate({ where: { accountId }, _sum: { amountMinor: true } }),
  ]);
  const entriesMinor = sum._sum.amountMinor ?? 0n;
  return {
    storedMinor: account.balanceMinor,
    entriesMinor,
    matches: entriesMinor === account.balanceMinor,
  };
}
