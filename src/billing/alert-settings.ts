// Low-balance alert settings of an account, and the state the scan keeps between runs.
import type {
  AlertLevel,
  AlertSettings,
  Prisma,
  PrismaClient,
} from '../generated/prisma/client.ts';
import type { Actor, Place } from './actors.ts';
import { recordAudit } from './audit.ts';

export type { AlertSettings } from '../generated/prisma/client.ts';

/** What an admin may change; any field left out stays as it was. */
export interface AlertSettingsChange {
  enabled?: boolean;
  /** The channel alerts go to, on the place's platform and workspace. */
  channelId?: string | null;
  /** Minor units; null returns to the default. */
  thresholdMinor?: bigint | null;
  runwayDays?: number;
  snoozedUntil?: Date | null;
}

export function loadAlertSettings(prisma: PrismaClient, accountId: string) {
  return prisma.alertSettings.findUnique({ where: { accountId } });
}

/**
 * Applies an admin's change, audited with the values before and after. Moving alerts to another
 * channel forgets the old channel's problem.
 */
export async function changeAlertSettings(
  prisma: PrismaClient,
  accountId: string,
  change: AlertSettingsChange,
  actor: Actor,
  place: Place,
): Promise<AlertSettings> {
  return prisma.$transaction(async (tx) => {
    const before = await tx.alertSettings.findUnique({ where: { accountId } });
    const movesChannel = change.channelId !== undefined && change.channelId !== before?.channelId;
    const data: Prisma.AlertSettingsUncheckedUpdateInput = {
      ...change,
      ...(movesChannel ? { channelProblem: null, messageRef: null } : {}),
      ...(change.channelId !== undefined
        ? { platform: place.workspace.platform, workspaceId: place.workspace.externalId }
        : {}),
      configuredBy: actor.userId,
    };
    const after = await tx.alertSettings.upsert({
      where: { accountId },
      update: data,
      create: {
        accountId,
        platform: place.workspace.platform,
        workspaceId: place.workspace.externalId,
        channelId: change.channelId ?? place.channelId,
        configuredBy: actor.userId,
        enabled: change.enabled ?? false,
        thresholdMinor: change.thresholdMinor ?? null,
        runwayDays: change.runwayDays ?? 7,
        snoozedUntil: change.snoozedUntil ?? null,
      },
    });
    // New settings may change the level (a higher threshold, another channel): look again.
    await tx.account.update({ where: { id: accountId }, data: { alertCheckDue: true } });
    await recordAudit(tx, {
      accountId,
      action: change.snoozedUntil ? 'account.alerts_snoozed' : 'account.alerts_changed',
      actor,
      place,
      before: before && auditedFields(before),
      after: auditedFields(after),
    });
    return after;
  });
}

function auditedFields(settings: AlertSettings) {
  const { enabled, channelId, thresholdMinor, runwayDays, snoozedUntil } = settings;
  return { enabled, channelId, thresholdMinor, runwayDays, snoozedUntil };
}

/**
 * The accounts the scan must look at, in one indexed query: alerts on, and either a ledger
 * change since the last scan or an alert in force (reminders, recoveries).
 */
export function alertCandidates(prisma: PrismaClient) {
  return prisma.alertSettings.findMany({
    where: {
      enabled: true,
      OR: [{ level: { not: 'ok' } }, { account: { alertCheckDue: true } }],
    },
    include: { account: true },
  });
}

/** Records what the scan decided and said. */
export async function recordAlertState(
  prisma: PrismaClient,
  accountId: string,
  state: { level: AlertLevel; notifiedAt?: Date; messageRef?: string | null },
) {
  await prisma.alertSettings.update({ where: { accountId }, data: state });
}

/** Records, once, that the alert channel cannot be posted in. @returns true the first time. */
export async function recordChannelProblem(
  prisma: PrismaClient,
  accountId: string,
  problem: string,
): Promise<boolean> {
  const recorded = await prisma.alertSettings.updateMany({
    where: { accountId, channelProblem: null },
    data: { channelProblem: problem.slice(0, 200) },
  });
  return recorded.count === 1;
}

/**
 * Marks an account as looked at, unless its balance moved while the scan ran: then the next
 * scan looks again.
 */
export async function markAlertChecked(prisma: PrismaClient, accountId: string, balance: bigint) {
  await prisma.account.updateMany({
    where: { id: accountId, balanceMinor: balance },
    data: { alertCheckDue: false },
  });
}

/** A credited top-up ends the alert in force: its confirmation told the channel already. */
export async function clearAlertAfterTopUp(prisma: PrismaClient, accountId: string) {
  await prisma.alertSettings.updateMany({
    where: { accountId, level: { not: 'ok' } },
    data: { level: 'ok', messageRef: null },
  });
}
