// The low-balance scan: looks at the accounts that need it, decides with the alert policy, and
// posts what is to be said. Runs on the scheduler, once per tick across replicas.
import { type AlertObservation, decideAlert, effectiveThreshold } from '../billing/alert-policy.ts';
import {
  type AlertSettings,
  alertCandidates,
  markAlertChecked,
  recordAlertState,
  recordChannelProblem,
} from '../billing/alert-settings.ts';
import { majorToMinor } from '../billing/money.ts';
import { lastTopUpEntry, usageSince } from '../billing/summary.ts';
import { alertNotice, channelProblemNotice, recoveredNotice } from '../commands/alert-notices.ts';
import type { AlertTarget, Notifier } from '../commands/types.ts';
import type { Account, PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import { alertsSentTotal } from '../metrics.ts';
import type { Job } from './scheduler.ts';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export interface AlertScanDeps {
  prisma: PrismaClient;
  notifier: Notifier;
  logger: Logger;
  /** ALERT_DEFAULT_THRESHOLD: major units of each account's currency. */
  defaultThresholdMajor: string;
}

export interface AlertScanReport {
  examined: number;
  alerts: number;
  recoveries: number;
  failures: number;
}

/** Scans once, as of `now`. One account's failure is logged and retried at the next scan. */
export async function scanAlerts(deps: AlertScanDeps, now: Date): Promise<AlertScanReport> {
  const report: AlertScanReport = { examined: 0, alerts: 0, recoveries: 0, failures: 0 };
  for (const settings of await alertCandidates(deps.prisma)) {
    report.examined++;
    try {
      const said = await scanAccount(deps, settings, settings.account, now);
      if (said === 'alert') report.alerts++;
      if (said === 'recovered') report.recoveries++;
      await markAlertChecked(deps.prisma, settings.accountId, settings.account.balanceMinor);
    } catch (error) {
      report.failures++;
      deps.logger.error({ err: error, account_id: settings.accountId }, 'alert scan failed');
    }
  }
  return report;
}

async function scanAccount(
  deps: AlertScanDeps,
  settings: AlertSettings,
  account: Account,
  now: Date,
): Promise<'alert' | 'recovered' | null> {
  const observation = await observe(deps, settings, account, now);
  const decision = decideAlert(settings, observation, now);
  const target: AlertTarget = {
    platform: settings.platform as AlertTarget['platform'],
    workspaceId: settings.workspaceId,
    channelId: settings.channelId,
  };

  if (decision.action === 'lower') {
    await recordAlertState(deps.prisma, account.id, { level: decision.level });
    return null;
  }
  if (decision.action === 'none') return null;
  // A channel known to refuse posts is not tried again until an admin changes it.
  if (settings.channelProblem) return null;

  const recovering = decision.action === 'recover';
  const reply = recovering
    ? recoveredNotice(observation.balanceMinor, account.currency)
    : alertNotice(
        decision.level as Exclude<typeof decision.level, 'ok'>,
        observation,
        account.currency,
        decision.reminder,
      );
  const posted = await deps.notifier.toAlertChannel(
    target,
    reply,
    recovering ? settings.messageRef : null,
  );

  if (posted.status === 'unreachable') {
    if (await recordChannelProblem(deps.prisma, account.id, posted.problem)) {
      const person = { ...target, userId: settings.configuredBy };
      await deps.notifier.toPerson(person, channelProblemNotice(posted.problem));
    }
    return null;
  }
  alertsSentTotal.inc({ level: recovering ? 'recovered' : decision.level });
  if (recovering) {
    await recordAlertState(deps.prisma, account.id, { level: 'ok', messageRef: null });
    return 'recovered';
  }
  await recordAlertState(deps.prisma, account.id, {
    level: decision.level,
    notifiedAt: now,
    // The recovery follows the first alert of the episode, in its thread.
    messageRef: settings.messageRef ?? posted.ref,
  });
  return 'alert';
}

async function observe(
  deps: AlertScanDeps,
  settings: AlertSettings,
  account: Account,
  now: Date,
): Promise<AlertObservation> {
  const [lastTopUp, usage] = await Promise.all([
    lastTopUpEntry(deps.prisma, account.id),
    usageSince(deps.prisma, account.id, new Date(now.getTime() - WEEK_MS)),
  ]);
  return {
    balanceMinor: account.balanceMinor,
    thresholdMinor: effectiveThreshold(
      settings.thresholdMinor,
      lastTopUp?.amountMinor ?? null,
      majorToMinor(deps.defaultThresholdMajor, account.currency),
    ),
    runwayDays: settings.runwayDays,
    usageWeekMinor: usage,
  };
}

/** The scan as a scheduled job on ALERT_CRON. */
export function alertScanJob(deps: AlertScanDeps, schedule: string): Job {
  return {
    name: 'low-balance-scan',
    schedule,
    run: async (slot) => ({ ...(await scanAlerts(deps, slot)) }),
  };
}
