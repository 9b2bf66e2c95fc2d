// What a channel reads when its balance runs low, and when it is well again.
import type { AlertLevel, AlertObservation } from '../billing/alert-policy.ts';
import { formatMoney } from '../billing/money.ts';
import { runwayDays } from '../billing/summary.ts';
import { formatDays } from './format.ts';
import type { Reply } from './types.ts';

const HEADLINES: Record<Exclude<AlertLevel, 'ok'>, string> = {
  runway: 'Credits will run out soon',
  low: 'Credits are running low',
  critical: 'Credits are almost gone',
  depleted: 'Credits have run out',
};

/** An alert for `level`, with the balance, the threshold, the runway, and what to do. */
export function alertNotice(
  level: Exclude<AlertLevel, 'ok'>,
  observation: AlertObservation,
  currency: string,
  reminder: boolean,
): Reply {
  const money = (minor: bigint) => formatMoney(minor, currency);
  const headline = `${reminder ? 'Reminder: ' : ''}${HEADLINES[level]}`;
  const days = runwayDays(observation.balanceMinor, observation.usageWeekMinor);
  const overage = observation.balanceMinor < 0n ? ' (overage: usage beyond the credits)' : '';

  const fields = [
    { label: 'Balance', value: `${money(observation.balanceMinor)}${overage}` },
    { label: 'Alert threshold', value: money(observation.thresholdMinor) },
  ];
  if (observation.usageWeekMinor > 0n) {
    fields.push({ label: 'Usage, last 7 days', value: money(observation.usageWeekMinor) });
  }
  if (days !== null)
    fields.push({ label: 'Lasts about', value: `${formatDays(days)} at that rate` });

  return {
    outcome: 'ok',
    text: `${headline}: the balance is ${money(observation.balanceMinor)}.`,
    blocks: [
      { type: 'heading', text: headline },
      { type: 'fields', fields },
      {
        type: 'text',
        text: 'A billing admin can add credits now, or snooze these alerts for a day.',
      },
      {
        type: 'actions',
        actions: [
          { id: 'add-credits', label: 'Add credits' },
          { id: 'snooze-alerts', label: 'Snooze 24h' },
        ],
      },
    ],
  };
}

/** The short all-clear that follows an alert, in its thread where the platform has threads. */
export function recoveredNotice(balanceMinor: bigint, currency: string): Reply {
  const balance = formatMoney(balanceMinor, currency);
  const text = `Credits are back above the alert threshold: the balance is ${balance}.`;
  return { outcome: 'ok', text, blocks: [{ type: 'text', text }] };
}

/** Told once to whoever set alerts up, when their channel cannot be posted in. */
export function channelProblemNotice(problem: string): Reply {
  const text =
    `Low-balance alerts could not be posted in their channel (${problem}). Invite the bot to ` +
    'that channel, or choose another with /billing alerts channel #name. Until then no alerts ' +
    'reach anyone.';
  return { outcome: 'error', text, blocks: [{ type: 'text', text }] };
}
