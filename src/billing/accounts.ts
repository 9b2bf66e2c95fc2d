// Billing accounts: one per chat workspace, created the first time the workspace uses the bot.
import type { Account, PrismaClient } from '../generated/prisma/client.ts';
import type { WorkspaceRef } from './actors.ts';
import { isUniqueViolation } from './db-errors.ts';

export type { Account } from '../generated/prisma/client.ts';

/**
 * Finds the billing account of a workspace, creating it (in `currency`, lower-case ISO 4217)
 * on first use. Safe when two requests of a new workspace arrive at once: both get one account.
 */
export async function findOrCreateAccount(
  prisma: PrismaClient,
  workspace: WorkspaceRef,
  currency: string,
): Promise<Account> {
  const existing = await findAccount(prisma, workspace);
  if (existing) return existing;

  try {
    return await prisma.$transaction(async (tx) => {
      const account = await tx.account.create({ data: { currency } });
      await tx.workspace.create({
        data: {
          platform: workspace.platform,
          externalId: workspace.externalId,
          name: workspace.name ?? null,
          accountId: account.id,
        },
      });
      return account;
    });
  } catch (error) {
    // Another request created the workspace between our read and our insert: use theirs.
    if (!isUniqueViolation(error)) throw error;
    const created = await findAccount(prisma, workspace);
    if (!created) throw error;
    return created;
  }
}

/** The account a workspace belongs to, or null when the workspace has never used the bot. */
export async function findAccount(prisma: PrismaClient, workspace: WorkspaceRef) {
  const row = await prisma.workspace.findUnique({
    where: {
      platform_externalId: { platform: workspace.platform, externalId: workspace.externalId },
    },
    include: { account: true },
  });
  return row?.account ?? null;
}

/**
 * The account a reference names: its id (a UUID), or a workspace as `platform:externalId`
 * (`slack:T0123`, `discord:123456789012345678`, `console:local`). Null when nothing matches.
 */
export async function findAccountByReference(prisma: PrismaClient, reference: string) {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(reference)) {
    return prisma.account.findUnique({ where: { id: reference.toLowerCase() } });
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: it refuses control characters.
  const match = /^(slack|discord|console):([^\u0000-\u001f\u007f]{1,64})$/u.exec(reference);
  if (!match?.[1] || !match[2]) return null;
  const platform = match[1] as WorkspaceRef['platform'];
  return findAccount(prisma, { platform, externalId: match[2] });
}
