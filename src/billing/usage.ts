// Usage reported by the platform drains the balance. A batch is applied whole or not at all,
// each record once: the platform retries, and a record seen before is reported, not repeated.
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Actor } from './actors.ts';
import { isUniqueViolation } from './db-errors.ts';
import { appendLedgerEntry } from './ledger.ts';

/** One usage record, checked and resolved to its account. */
export interface UsageRecord {
  accountId: string;
  /** What the usage cost, in minor units of the account's currency; positive. */
  amountMinor: bigint;
  description: string;
  occurredAt: Date;
  /** The platform's own id of the record; unique per account. */
  key: string;
}

export interface UsageBatchOutcome {
  /** Keys applied by this call. */
  applied: string[];
  /** Keys applied by an earlier call, left as they were. */
  alreadyApplied: string[];
  /** The balance of each account the batch names, after it, in minor units. */
  balances: Map<string, bigint>;
}

/** A key applied before with another amount: the feed reused a key for different usage. */
export class UsageKeyConflict extends Error {
  constructor(readonly key: string) {
    super(`Usage key ${key} was applied before with another amount`);
  }
}

/** The platform as the ledger names it: the source of every usage entry. */
export const USAGE_FEED_ACTOR: Actor = {
  platform: 'system',
  userId: 'usage-api',
  userName: 'Usage feed',
};

// A concurrent batch sharing a key makes ours roll back whole; it is read again and retried.
const ATTEMPTS = 3;

/**
 * Applies a batch of usage in one transaction. Balances may go below zero (overage).
 * @throws when the batch keeps colliding with concurrent batches, or the database fails;
 * nothing of the batch is applied then.
 */
export async function applyUsageBatch(
  prisma: PrismaClient,
  records: readonly UsageRecord[],
): Promise<UsageBatchOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyOnce(prisma, records);
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= ATTEMPTS) throw error;
    }
  }
}

async function applyOnce(prisma: PrismaClient, records: readonly UsageRecord[]) {
  const ledgerKey = (record: UsageRecord) => `usage:${record.accountId}:${record.key}`;

  return prisma.$transaction(
    async (tx) => {
      const seen = await tx.ledgerEntry.findMany({
        where: { idempotencyKey: { in: records.map(ledgerKey) } },
        select: { idempotencyKey: true, amountMinor: true },
      });
      const seenAmounts = new Map(seen.map((entry) => [entry.idempotencyKey, entry.amountMinor]));
      const outcome: UsageBatchOutcome = { applied: [], alreadyApplied: [], balances: new Map() };

      for (const record of records) {
        const earlier = seenAmounts.get(ledgerKey(record));
        if (earlier !== undefined) {
          // Thrown inside the transaction: nothing of the batch is applied.
          if (earlier !== -record.amountMinor) throw new UsageKeyConflict(record.key);
          outcome.alreadyApplied.push(record.key);
          continue;
        }
        const applied = await appendLedgerEntry(tx, {
          accountId: record.accountId,
          kind: 'usage',
          amountMinor: -record.amountMinor,
          description: record.description,
          actor: USAGE_FEED_ACTOR,
          place: null,
          idempotencyKey: ledgerKey(record),
          occurredAt: record.occurredAt,
        });
        outcome.applied.push(record.key);
        outcome.balances.set(record.accountId, applied.balanceMinor);
      }

      const untouched = [...new Set(records.map((record) => record.accountId))].filter(
        (accountId) => !outcome.balances.has(accountId),
      );
      const accounts = await tx.account.findMany({ where: { id: { in: untouched } } });
      for (const account of accounts) outcome.balances.set(account.id, account.balanceMinor);
      return outcome;
    },
    // A batch of 1,000 records is 3,000 statements; Prisma's default 5 s is too tight on PGlite.
    { timeout: 60_000, maxWait: 30_000 },
  );
}
