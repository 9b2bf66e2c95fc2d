// What people are told when a payment moves on after `/billing add`: credited, failed,
// refunded, disputed. Neutral replies; each adapter posts them on its platform.
import { formatMoney } from '../billing/money.ts';
import type { TopUpQuote } from '../billing/topups.ts';
import type { NoticeTarget, Reply } from './types.ts';

/** Where the notices of a top-up go: the channel it was asked in, and the person who asked. */
export function noticeTargetOf(quote: TopUpQuote): NoticeTarget {
  return {
    platform: quote.requesterPlatform as NoticeTarget['platform'],
    workspaceId: quote.workspaceId,
    channelId: quote.channelId,
    userId: quote.requesterId,
  };
}

export function creditedNotice(quote: TopUpQuote, balanceMinor: bigint): Reply {
  const money = (minor: bigint) => formatMoney(minor, quote.currency);
  const who = quote.requesterName ?? 'A billing admin';
  const text =
    `${who} added ${money(quote.amountMinor)} in credits. ` +
    `New balance: ${money(balanceMinor)}.`;
  return notice(text, quote.receiptUrl);
}

export function paymentFailedNotice(quote: TopUpQuote): Reply {
  return notice(
    `The payment of ${formatMoney(quote.amountMinor, quote.currency)} did not go through ` +
      '(the bank or payment method declined it). Nothing was credited or charged; start again ' +
      'with /billing add when ready.',
  );
}

export function refundNotice(quote: TopUpQuote, debitMinor: bigint, balanceMinor: bigint) {
  const money = (minor: bigint) => formatMoney(minor, quote.currency);
  return notice(
    `A payment of ${money(quote.amountMinor)} was refunded, so ${money(debitMinor)} in credits ` +
      `were taken back. New balance: ${money(balanceMinor)}.`,
  );
}

export function disputeOpenedNotice(quote: TopUpQuote, heldMinor: bigint, balanceMinor: bigint) {
  const money = (minor: bigint) => formatMoney(minor, quote.currency);
  return notice(
    `A card payment of ${money(quote.amountMinor)} is disputed with the bank, so ` +
      `${money(heldMinor)} in credits are on hold until the dispute is settled. ` +
      `New balance: ${money(balanceMinor)}.`,
  );
}

/**
 * A dispute settled. `movedMinor` is what the closing changed (see closeDispute): the released
 * hold when won, nothing when a hold is kept, a debit when the dispute was first heard of lost.
 */
export function disputeClosedNotice(
  quote: TopUpQuote,
  result: 'won' | 'lost',
  movedMinor: bigint,
  balanceMinor: bigint,
): Reply {
  const money = (minor: bigint) => formatMoney(minor, quote.currency);
  const paid = `a payment of ${money(quote.amountMinor)}`;
  if (result === 'won') {
    return notice(
      `The dispute over ${paid} was settled in our favour: ${money(movedMinor)} in credits ` +
        `are back. New balance: ${money(balanceMinor)}.`,
    );
  }
  const taken =
    movedMinor < 0n
      ? `${money(-movedMinor)} in credits were taken back`
      : 'the credits on hold stay taken back';
  return notice(`The dispute over ${paid} was lost: ${taken}. Balance: ${money(balanceMinor)}.`);
}

function notice(text: string, invoiceUrl: string | null = null): Reply {
  const blocks: Reply['blocks'] = [{ type: 'text', text }];
  if (invoiceUrl) {
    blocks.push({ type: 'actions', actions: [{ id: 'link', label: 'Invoice', url: invoiceUrl }] });
  }
  return { outcome: 'ok', text, blocks };
}
