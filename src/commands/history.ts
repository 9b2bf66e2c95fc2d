// `/billing history`: the latest ledger entries, newest first (when, what, amount, who), and the
// latest top-ups with their state and invoice.
import { type LedgerKind, recentEntries } from '../billing/ledger.ts';
import { formatMoney } from '../billing/money.ts';
import { recentQuotes, type TopUpQuote, type TopUpStatus } from '../billing/topups.ts';
import type { CommandContext } from './context.ts';
import { formatWhen, signedMoney } from './format.ts';
import type { Reply, ReplyBlock } from './types.ts';

const HISTORY_LENGTH = 10;
const TOP_UPS_LENGTH = 5;

const KIND_LABELS: Record<LedgerKind, string> = {
  topup: 'Top-up',
  usage: 'Usage',
  adjustment: 'Adjustment',
  refund: 'Refund',
  dispute: 'Dispute',
};

const TOP_UP_STATES: Record<TopUpStatus, string> = {
  pending: 'payment link being made',
  open: 'waiting for payment',
  awaiting_payment: 'paid by a delayed method, not arrived yet',
  credited: 'credited',
  failed: 'failed, nothing charged',
  expired: 'link expired unpaid',
  mismatch: 'held for review by an operator',
};

export async function historyCommand({ deps, account }: CommandContext): Promise<Reply> {
  const [entries, quotes] = await Promise.all([
    recentEntries(deps.prisma, account.id, HISTORY_LENGTH),
    recentQuotes(deps.prisma, account.id, TOP_UPS_LENGTH),
  ]);
  if (entries.length === 0 && quotes.length === 0) {
    const text = 'No ledger entries yet: top-ups and usage will be listed here.';
    return { outcome: 'ok', text, blocks: [{ type: 'text', text }] };
  }

  const blocks: ReplyBlock[] = [];
  if (entries.length > 0) {
    const rows = entries.map((entry) => [
      formatWhen(entry.createdAt),
      `${KIND_LABELS[entry.kind]}: ${entry.description}`,
      signedMoney(entry.amountMinor, account.currency),
      entry.actorName ?? `${entry.actorPlatform}:${entry.actorId}`,
    ]);
    blocks.push(
      { type: 'heading', text: latestEntries(entries.length) },
      { type: 'table', columns: ['When', 'What', 'Amount', 'Who'], rows },
    );
  }
  if (quotes.length > 0) {
    blocks.push(
      { type: 'heading', text: 'Latest top-ups' },
      {
        type: 'table',
        columns: ['When', 'State', 'Amount', 'Invoice'],
        rows: quotes.map(topUpRow),
      },
    );
  }
  return { outcome: 'ok', text: latestEntries(entries.length), blocks };
}

function latestEntries(count: number): string {
  return count === 1 ? 'The latest ledger entry' : `Latest ${count} ledger entries`;
}

function topUpRow(quote: TopUpQuote): string[] {
  return [
    formatWhen(quote.createdAt),
    TOP_UP_STATES[quote.status],
    formatMoney(quote.amountMinor, quote.currency),
    quote.receiptUrl ?? (quote.status === 'credited' ? 'none from Stripe' : '–'),
  ];
}
