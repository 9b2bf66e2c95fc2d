// What an account holds of its own. A workspace may leave its account for another one only when
// that account holds nothing: money or history left behind would be seen by nobody again.
import type { Prisma } from '../generated/prisma/client.ts';

/** What an account holds, and what refers to it. Amounts in minor units of `currency`. */
export interface AccountHoldings {
  currency: string;
  balanceMinor: bigint;
  ledgerEntries: number;
  topUps: number;
  hasProfile: boolean;
  hasAlertSettings: boolean;
  /** A customer at the payment provider, made with the first top-up. */
  hasPaymentCustomer: boolean;
  /** Workspaces, audit events and link codes: no money, but rows that keep the account. */
  workspaces: number;
  auditEvents: number;
  linkCodes: number;
}

/** What an account holds, read inside the caller's transaction; null when it does not exist. */
export async function accountHoldings(
  tx: Prisma.TransactionClient,
  accountId: string,
): Promise<AccountHoldings | null> {
  const account = await tx.account.findUnique({
    where: { id: accountId },
    include: {
      profile: { select: { accountId: true } },
      alerts: { select: { accountId: true } },
      _count: {
        select: { entries: true, topUps: true, workspaces: true, audits: true, linkCodes: true },
      },
    },
  });
  if (!account) return null;

  return {
    currency: account.currency,
    balanceMinor: account.balanceMinor,
    ledgerEntries: account._count.entries,
    topUps: account._count.topUps,
    hasProfile: account.profile !== null,
    hasAlertSettings: account.alerts !== null,
    hasPaymentCustomer: account.stripeCustomerId !== null,
    workspaces: account._count.workspaces,
    auditEvents: account._count.audits,
    linkCodes: account._count.linkCodes,
  };
}

/** True when the account holds money, billing history, billing details or alert settings. */
export function holdsBillingData(holdings: AccountHoldings): boolean {
  return (
    holdings.balanceMinor !== 0n ||
    holdings.ledgerEntries > 0 ||
    holdings.topUps > 0 ||
    holdings.hasProfile ||
    holdings.hasAlertSettings ||
    holdings.hasPaymentCustomer
  );
}

/**
 * Deletes an account that nothing refers to any more: no workspace, no billing data, no audit
 * event and no link code (audit history is never deleted to make room). Runs in the caller's
 * transaction, which must hold the account's row lock.
 * @returns true when the account was deleted.
 */
export async function deleteAccountIfUnused(
  tx: Prisma.TransactionClient,
  accountId: string,
): Promise<boolean> {
  const holdings = await accountHoldings(tx, accountId);
  if (!holdings || holdsBillingData(holdings)) return false;
  if (holdings.workspaces + holdings.auditEvents + holdings.linkCodes > 0) return false;

  await tx.account.delete({ where: { id: accountId } });
  return true;
}
