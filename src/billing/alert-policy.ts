// When a low-balance alert goes out: once per real change of level, a daily reminder while it
// lasts, and a recovery only once the balance is clearly back (no flapping at the threshold).
// Pure rules over numbers and a clock; the scan feeds them and acts on the decision.
import type { AlertLevel } from '../generated/prisma/client.ts';

export type { AlertLevel } from '../generated/prisma/client.ts';

const SEVERITY: Record<AlertLevel, number> = { ok: 0, runway: 1, low: 2, critical: 3, depleted: 4 };

/** While a level lasts, it is repeated at most this often. */
export const REMINDER_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** A balance must climb this share of the threshold above it before an alert is over. */
export const RECOVERY_MARGIN_PERCENT = 10n;

/** What the scan saw of an account. Amounts in minor units of its currency. */
export interface AlertObservation {
  balanceMinor: bigint;
  /** The threshold in force: set by an admin, or the default. Positive. */
  thresholdMinor: bigint;
  runwayDays: number;
  /** Usage of the trailing 7 days, as a positive amount. */
  usageWeekMinor: bigint;
}

/** What was last said about an account. */
export interface AlertState {
  level: AlertLevel;
  notifiedAt: Date | null;
  snoozedUntil: Date | null;
}

export type AlertDecision =
  | { action: 'none' }
  /** Post an alert for `level`: a crossing into it, or a reminder that it lasts. */
  | { action: 'alert'; level: AlertLevel; reminder: boolean }
  /** Better, but not well: record the milder level without a message. */
  | { action: 'lower'; level: AlertLevel }
  /** Well again: post the recovery, and re-arm. */
  | { action: 'recover' };

/** The level a balance is at, without regard to what was said before. */
export function levelOf(observation: AlertObservation): AlertLevel {
  const { balanceMinor, thresholdMinor, runwayDays, usageWeekMinor } = observation;
  if (balanceMinor <= 0n) return 'depleted';
  if (balanceMinor * 4n < thresholdMinor) return 'critical';
  if (balanceMinor < thresholdMinor) return 'low';
  // Runs out within `runwayDays` at the weekly rate: balance / (usage / 7) < days.
  if (usageWeekMinor > 0n && balanceMinor * 7n < usageWeekMinor * BigInt(runwayDays)) {
    return 'runway';
  }
  return 'ok';
}

/** Decides what to say now, given what was said before. */
export function decideAlert(
  state: AlertState,
  observation: AlertObservation,
  now: Date,
): AlertDecision {
  const observed = withHysteresis(state.level, levelOf(observation), observation);
  const snoozed = state.snoozedUntil !== null && state.snoozedUntil > now;
  const worse = SEVERITY[observed] - SEVERITY[state.level];

  if (worse > 0) {
    // A snooze quiets a worsening too, except running out: that is always told.
    if (snoozed && observed !== 'depleted') return { action: 'none' };
    return { action: 'alert', level: observed, reminder: false };
  }
  if (worse < 0)
    return observed === 'ok' ? { action: 'recover' } : { action: 'lower', level: observed };
  if (observed === 'ok' || snoozed) return { action: 'none' };

  const lastTold = state.notifiedAt?.getTime() ?? 0;
  if (now.getTime() - lastTold < REMINDER_INTERVAL_MS) return { action: 'none' };
  return { action: 'alert', level: observed, reminder: true };
}

// Once below the threshold, the account counts as low until it is above the threshold plus a
// margin, so a balance hovering around the threshold does not alert and recover in turns.
function withHysteresis(previous: AlertLevel, observed: AlertLevel, o: AlertObservation) {
  const belowThresholdBefore = SEVERITY[previous] >= SEVERITY.low;
  const recovering = SEVERITY[observed] < SEVERITY.low;
  const margin = (o.thresholdMinor * RECOVERY_MARGIN_PERCENT) / 100n;
  if (belowThresholdBefore && recovering && o.balanceMinor <= o.thresholdMinor + margin) {
    return 'low';
  }
  return observed;
}

/**
 * The threshold in force: the admin's, else 20% of the last top-up, else the configured
 * default. All in minor units.
 */
export function effectiveThreshold(
  explicitMinor: bigint | null,
  lastTopUpMinor: bigint | null,
  defaultMinor: bigint,
): bigint {
  if (explicitMinor !== null && explicitMinor > 0n) return explicitMinor;
  if (lastTopUpMinor !== null && lastTopUpMinor > 0n) {
    const share = (lastTopUpMinor * 20n) / 100n;
    if (share > 0n) return share;
  }
  return defaultMinor;
}
