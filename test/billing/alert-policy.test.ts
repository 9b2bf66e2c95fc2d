import { describe, expect, it } from 'vitest';
import {
  type AlertLevel,
  type AlertObservation,
  type AlertState,
  decideAlert,
  effectiveThreshold,
  levelOf,
} from '../../src/billing/alert-policy.ts';

const HOUR_MS = 60 * 60 * 1000;
const NOW = new Date('2026-12-04T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * HOUR_MS);

// A $50.00 threshold, a week's runway warning, no usage unless told.
function seen(balanceMinor: bigint, usageWeekMinor = 0n): AlertObservation {
  return { balanceMinor, thresholdMinor: 5_000n, runwayDays: 7, usageWeekMinor };
}
function state(level: AlertLevel, notifiedHoursAgo = 1, snoozedForHours = 0): AlertState {
  return {
    level,
    notifiedAt: level === 'ok' ? null : hoursAgo(notifiedHoursAgo),
    snoozedUntil: snoozedForHours > 0 ? hoursAgo(-snoozedForHours) : null,
  };
}

describe('levelOf', () => {
  it.each([
    // [balance, usage in the last 7 days, level]
    [10_000n, 0n, 'ok'], // $100 against a $50 threshold
    [5_000n, 0n, 'ok'], // exactly at the threshold is not below it
    [4_999n, 0n, 'low'],
    [1_250n, 0n, 'low'], // a quarter of the threshold is not below a quarter
    [1_249n, 0n, 'critical'],
    [1n, 0n, 'critical'],
    [0n, 0n, 'depleted'],
    [-500n, 0n, 'depleted'], // overage
    [10_000n, 14_000n, 'runway'], // $140 a week: $100 lasts 5 days, within 7
    [10_000n, 10_000n, 'ok'], // $100 a week: lasts exactly 7 days, not within
  ] as const)('puts %s with %s of weekly usage at %s', (balance, usage, level) => {
    expect(levelOf(seen(balance, usage))).toBe(level);
  });
});

describe('decideAlert', () => {
  it.each([
    // [what was said, what is seen, decision, why]
    [state('ok'), seen(10_000n), { action: 'none' }, 'fine stays quiet'],
    [state('ok'), seen(4_000n), { action: 'alert', level: 'low', reminder: false }, 'crossing'],
    [state('low', 1), seen(3_000n), { action: 'none' }, 'staying low within a day'],
    [
      state('low', 24),
      seen(3_000n),
      { action: 'alert', level: 'low', reminder: true },
      'a reminder after a day',
    ],
    [
      state('low'),
      seen(1_000n),
      { action: 'alert', level: 'critical', reminder: false },
      'a worse level at once',
    ],
    [state('critical'), seen(3_000n), { action: 'lower', level: 'low' }, 'better, still low'],
    [state('low'), seen(5_200n), { action: 'none' }, 'hovering inside the 10% margin'],
    [state('low'), seen(5_500n), { action: 'none' }, 'exactly at the margin is not above it'],
    [state('low'), seen(5_501n), { action: 'recover' }, 'above threshold plus margin'],
    [state('depleted'), seen(20_000n), { action: 'recover' }, 'a top-up ends it'],
    [state('low', 30, 12), seen(3_000n), { action: 'none' }, 'snoozed: no reminder'],
    [state('low', 1, 12), seen(1_000n), { action: 'none' }, 'snoozed: no critical either'],
    [
      state('low', 1, 12),
      seen(0n),
      { action: 'alert', level: 'depleted', reminder: false },
      'snoozed, but running out is always told',
    ],
    [state('runway'), seen(10_000n, 0n), { action: 'recover' }, 'usage stopped'],
  ] as const)('decides %o, seeing %o, to %o (%s)', (said, observation, decision, _why) => {
    expect(decideAlert(said, observation, NOW)).toEqual(decision);
  });
});

describe('effectiveThreshold', () => {
  it.each([
    // [set by an admin, last top-up, configured default, threshold in force]
    [7_500n, 100_000n, 1_000n, 7_500n], // the admin's wins
    [null, 100_000n, 1_000n, 20_000n], // 20% of a $1,000 top-up
    [null, 3n, 1_000n, 1_000n], // 20% of 3 cents rounds to nothing: the default
    [null, null, 1_000n, 1_000n], // no top-up yet: the default
  ] as const)('makes %s, %s, %s into %s', (explicit, lastTopUp, fallback, expected) => {
    expect(effectiveThreshold(explicit, lastTopUp, fallback)).toBe(expected);
  });
});
