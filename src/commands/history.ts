// `/billing history`: the latest ledger entries, newest first (when, what, amount, who).
import { type LedgerKind, recentEntries } from '../billing/ledger.ts';
import type { CommandContext } from './context.ts';
import { formatWhen, signedMoney } from './format.ts';
import type { Reply } from './types.ts';

const HISTORY_LENGTH = 10;

const KIND_LABELS: Record<LedgerKind, string> = {
  topup: 'Top-up',
  usage: 'Usage',
  adjustment: 'Adjustment',
  refund: 'Refund',
  dispute: 'Dispute',
};

export async function historyCommand({ deps, account }: CommandContext): Promise<Reply> {
  const entries = await recentEntries(deps.prisma, account.id, HISTORY_LENGTH);
  if (entries.length === 0) {
    const text = 'No ledger entries yet: top-ups and usage will be listed here.';
    return { outcome: 'ok', text, blocks: [{ type: 'text', text }] };
  }

  const rows = entries.map((entry) => [
    formatWhen(entry.createdAt),
    `${KIND_LABELS[entry.kind]}: ${entry.description}`,
    signedMoney(entry.amountMinor, account.currency),
    entry.actorName ?? `${entry.actorPlatform}:${entry.actorId}`,
  ]);
  return {
    outcome: 'ok',
    text: `Latest ${entries.length} ledger entries`,
    blocks: [
      { type: 'heading', text: `Latest ${entries.length} ledger entries` },
      { type: 'table', columns: ['When', 'What', 'Amount', 'Who'], rows },
    ],
  };
}
