// Moving a workspace from its account to another one, under row locks, and what becomes of the
// account it leaves. Callers decide whether the move is allowed (see workspace-links.ts).
import type { Prisma } from '../generated/prisma/client.ts';
import { deleteAccountIfUnused } from './account-holdings.ts';
import type { Actor, Place, WorkspaceRef } from './actors.ts';
import { recordAudit } from './audit.ts';

/** What became of the account a workspace left: none (a new workspace), deleted or kept. */
export type PreviousAccount = 'none' | 'deleted' | 'kept';

/**
 * The id of a workspace's account, read with the workspace's row and the account's row locked
 * until the caller's transaction ends: a ledger change to that account (which locks its row too)
 * either commits before the caller's checks or waits until the workspace has moved.
 * @returns null for a workspace that has never used the bot.
 */
export async function lockWorkspaceAccount(
  tx: Prisma.TransactionClient,
  workspace: WorkspaceRef,
): Promise<string | null> {
  const rows = await tx.$queryRaw<{ account_id: string }[]>`
    SELECT account_id::text AS account_id FROM workspaces
    WHERE platform = ${workspace.platform} AND external_id = ${workspace.externalId}
    FOR UPDATE`;
  const accountId = rows[0]?.account_id ?? null;
  if (accountId) {
    await tx.$queryRaw`SELECT id FROM accounts WHERE id = ${accountId}::uuid FOR UPDATE`;
  }
  return accountId;
}

/** A workspace moving to another account, and who moves it from where. */
export interface WorkspaceMove {
  workspace: WorkspaceRef;
  /** Its account now, as lockWorkspaceAccount read it; null for a new workspace. */
  fromAccountId: string | null;
  toAccountId: string;
  actor: Actor;
  place: Place;
}

/**
 * Puts the workspace on `toAccountId` (creating its row when it is new) inside the caller's
 * transaction. The caller has checked that the account left behind holds no billing data; that
 * account is deleted when nothing refers to it any more, or else kept, for its other workspaces
 * or its audit trail (never deleted to make room), with an audit event saying where the
 * workspace went.
 */
export async function moveWorkspace(
  tx: Prisma.TransactionClient,
  move: WorkspaceMove,
): Promise<PreviousAccount> {
  const { workspace, fromAccountId, toAccountId } = move;
  if (!fromAccountId) {
    await tx.workspace.create({
      data: {
        platform: workspace.platform,
        externalId: workspace.externalId,
        name: workspace.name ?? null,
        accountId: toAccountId,
      },
    });
    return 'none';
  }

  await tx.workspace.update({
    where: {
      platform_externalId: { platform: workspace.platform, externalId: workspace.externalId },
    },
    data: { accountId: toAccountId, ...(workspace.name ? { name: workspace.name } : {}) },
  });
  if (await deleteAccountIfUnused(tx, fromAccountId)) return 'deleted';

  await recordAudit(tx, {
    accountId: fromAccountId,
    action: 'account.workspace_moved_out',
    actor: move.actor,
    place: move.place,
    after: { platform: workspace.platform, workspaceId: workspace.externalId, toAccountId },
  });
  return 'kept';
}

/** The workspaces of an account, in the order they joined it. */
export async function workspacesOf(
  tx: Prisma.TransactionClient,
  accountId: string,
): Promise<WorkspaceRef[]> {
  const rows = await tx.workspace.findMany({
    where: { accountId },
    orderBy: [{ createdAt: 'asc' }, { platform: 'asc' }, { externalId: 'asc' }],
  });
  return rows.map((row) => ({
    platform: row.platform as WorkspaceRef['platform'],
    externalId: row.externalId,
    name: row.name,
  }));
}
