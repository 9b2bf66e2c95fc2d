// Small formatting helpers shared by command replies.
import { formatMoney } from '../billing/money.ts';

/** A signed amount for ledger lists: `+$10.00`, `-$2.50`. */
export function signedMoney(amountMinor: bigint, currency: string): string {
  return amountMinor > 0n
    ? `+${formatMoney(amountMinor, currency)}`
    : formatMoney(amountMinor, currency);
}

/** A moment as people read it in a shared channel, in UTC: `2026-12-03 19:55 UTC`. */
export function formatWhen(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A day count in words: `less than a day`, `1 day`, `12 days`. */
export function formatDays(days: number): string {
  if (days === 0) return 'less than a day';
  return days === 1 ? '1 day' : `${days} days`;
}
