// Linking workspaces: one billing account for a Slack workspace and a Discord server (or any two
// workspaces). An admin makes a one-time code in one place and redeems it in the other.
import type { Prisma, PrismaClient, WorkspaceLinkCode } from '../generated/prisma/client.ts';
import { type AccountHoldings, accountHoldings, holdsBillingData } from './account-holdings.ts';
import type { Account } from './accounts.ts';
import type { Actor, Place, WorkspaceRef } from './actors.ts';
import { recordAudit } from './audit.ts';
import { isUniqueViolation } from './db-errors.ts';
import { formatLinkCode, hashLinkCode, newLinkCode, normaliseLinkCode } from './link-codes.ts';
import {
  lockWorkspaceAccount,
  moveWorkspace,
  type PreviousAccount,
  workspacesOf,
} from './workspace-moves.ts';

export type { PreviousAccount } from './workspace-moves.ts';

/** How long a code can be redeemed. */
export const LINK_CODE_TTL_MS = 10 * 60 * 1000;

/** A request for a code that lets another workspace join `account`. */
export interface LinkCodeRequest {
  account: Account;
  actor: Actor;
  /** Where the code is made: the workspace that cannot redeem it. */
  place: Place;
  now: Date;
}

/** A code to show once to the admin who asked; only its hash is stored. */
export interface CreatedLinkCode {
  /** As people type it: `K7QM-2XPD`. */
  code: string;
  expiresAt: Date;
  /** True when an unused code of the same workspace was revoked by this one. */
  replacedEarlier: boolean;
}

/**
 * Makes a one-time code for joining the account of `request.place.workspace`, valid for
 * LINK_CODE_TTL_MS. The workspace's earlier unused code stops working: one open code per
 * workspace, also when two admins ask at once. Audited on the account, without the code.
 */
export async function createLinkCode(
  prisma: PrismaClient,
  request: LinkCodeRequest,
): Promise<CreatedLinkCode> {
  // A retry covers the two unique keys: the workspace's open code made at the same instant by
  // another request, or (about once in 10^11) a new code equal to an old one.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await prisma.$transaction((tx) => insertLinkCode(tx, request, newLinkCode()));
    } catch (error) {
      if (!isUniqueViolation(error) || attempt === 3) throw error;
    }
  }
}

async function insertLinkCode(
  tx: Prisma.TransactionClient,
  request: LinkCodeRequest,
  code: string,
) {
  const { workspace } = request.place;
  const openKey = openKeyOf(workspace);
  const expiresAt = new Date(request.now.getTime() + LINK_CODE_TTL_MS);

  const replaced = await tx.workspaceLinkCode.deleteMany({ where: { openKey } });
  const created = await tx.workspaceLinkCode.create({
    data: {
      codeHash: hashLinkCode(code),
      accountId: request.account.id,
      platform: workspace.platform,
      workspaceId: workspace.externalId,
      createdById: request.actor.userId,
      createdByName: request.actor.userName,
      openKey,
      expiresAt,
    },
  });

  await recordAudit(tx, {
    accountId: request.account.id,
    action: 'account.link_code_created',
    actor: request.actor,
    place: request.place,
    after: {
      codeId: created.id,
      platform: workspace.platform,
      workspaceId: workspace.externalId,
      expiresAt: expiresAt.toISOString(),
      replacedEarlierCode: replaced.count > 0,
    },
  });
  return { code: formatLinkCode(code), expiresAt, replacedEarlier: replaced.count > 0 };
}

/** A code as typed by an admin of the workspace that wants to join. */
export interface RedeemRequest {
  code: string;
  actor: Actor;
  /** Where the code is typed: the workspace that joins. */
  place: Place;
  now: Date;
}

/** What redeeming a code led to. Only `linked` changed anything. */
export type RedeemOutcome =
  | { status: 'linked'; account: Account; workspaces: WorkspaceRef[]; previous: PreviousAccount }
  /** Unknown, mistyped, used or expired: deliberately one answer for all. */
  | { status: 'invalid' }
  | { status: 'same_workspace' }
  | { status: 'already_linked'; account: Account; workspaces: WorkspaceRef[] }
  /** The joining workspace's own account holds money or history that joining would hide. */
  | { status: 'holds_billing_data'; holdings: AccountHoldings };

/**
 * Moves the workspace of `request.place` onto the account of a code made elsewhere, and uses
 * the code up, in one transaction. Row locks on the code, the workspace and its own account make
 * two simultaneous redemptions of one code succeed at most once, on any number of replicas, and
 * keep money from landing on the account being left. That account must hold no billing data; it
 * is then deleted, or kept when something still refers to it (see moveWorkspace).
 */
export async function redeemLinkCode(
  prisma: PrismaClient,
  request: RedeemRequest,
): Promise<RedeemOutcome> {
  const code = normaliseLinkCode(request.code);
  if (!code) return { status: 'invalid' };
  const codeHash = hashLinkCode(code);

  return prisma.$transaction(async (tx) => {
    const checked = await checkRedemption(tx, request, codeHash);
    return 'status' in checked ? checked : applyRedemption(tx, request, checked);
  });
}

interface AllowedRedemption {
  code: WorkspaceLinkCode;
  ownAccountId: string | null;
}

// Every refusal, before anything is written; the workspace and its account are locked from here.
async function checkRedemption(
  tx: Prisma.TransactionClient,
  request: RedeemRequest,
  codeHash: string,
): Promise<RedeemOutcome | AllowedRedemption> {
  const { workspace } = request.place;
  const code = await tx.workspaceLinkCode.findUnique({ where: { codeHash } });
  if (!code || code.usedAt || code.expiresAt <= request.now) return { status: 'invalid' };
  if (code.platform === workspace.platform && code.workspaceId === workspace.externalId) {
    return { status: 'same_workspace' };
  }

  const ownAccountId = await lockWorkspaceAccount(tx, workspace);
  if (ownAccountId === code.accountId) {
    const account = await tx.account.findUniqueOrThrow({ where: { id: code.accountId } });
    return { status: 'already_linked', account, workspaces: await workspacesOf(tx, account.id) };
  }
  const holdings = ownAccountId ? await accountHoldings(tx, ownAccountId) : null;
  if (holdings && holdsBillingData(holdings)) return { status: 'holds_billing_data', holdings };
  return { code, ownAccountId };
}

async function applyRedemption(
  tx: Prisma.TransactionClient,
  request: RedeemRequest,
  { code, ownAccountId }: AllowedRedemption,
): Promise<RedeemOutcome> {
  const { workspace } = request.place;
  // The guard that makes a code single-use: of two redemptions racing here, the second waits
  // for the first's row lock, then finds used_at set and updates nothing.
  const claimed = await tx.workspaceLinkCode.updateMany({
    where: { id: code.id, usedAt: null, expiresAt: { gt: request.now } },
    data: {
      usedAt: request.now,
      openKey: null,
      usedByPlatform: workspace.platform,
      usedByWorkspaceId: workspace.externalId,
      usedById: request.actor.userId,
    },
  });
  if (claimed.count !== 1) return { status: 'invalid' };

  // A code the workspace made for its old account would invite others to an account it left.
  await tx.workspaceLinkCode.deleteMany({ where: { openKey: openKeyOf(workspace) } });
  const move = { workspace, fromAccountId: ownAccountId, toAccountId: code.accountId };
  const previous = await moveWorkspace(tx, { ...move, actor: request.actor, place: request.place });
  await recordAudit(tx, {
    accountId: code.accountId,
    action: 'account.workspace_linked',
    actor: request.actor,
    place: request.place,
    after: {
      platform: workspace.platform,
      workspaceId: workspace.externalId,
      codeId: code.id,
      codeMadeIn: { platform: code.platform, workspaceId: code.workspaceId },
      previousAccountId: ownAccountId,
      previousAccount: previous,
    },
  });
  const account = await tx.account.findUniqueOrThrow({ where: { id: code.accountId } });
  return { status: 'linked', account, workspaces: await workspacesOf(tx, account.id), previous };
}

// One open code per workspace: the unique key a new code takes over.
function openKeyOf(workspace: WorkspaceRef): string {
  return `${workspace.platform}:${workspace.externalId}`;
}
