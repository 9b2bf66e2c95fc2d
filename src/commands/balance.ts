// `/billing` and `/billing balance`: for every member of the workspace.
import { formatMoney } from '../billing/money.ts';
import { summariseBalance } from '../billing/summary.ts';
import type { CommandContext } from './context.ts';
import { formatDays, formatWhen } from './format.ts';
import type { Reply } from './types.ts';

export async function balanceCommand({ deps, account }: CommandContext): Promise<Reply> {
  const summary = await summariseBalance(deps.prisma, account, deps.now());
  const money = (minor: bigint) => formatMoney(minor, summary.currency);
  const balance = money(summary.balanceMinor);

  const fields = [{ label: 'Balance', value: balance }];
  if (summary.balanceMinor < 0n) {
    fields[0] = {
      label: 'Balance',
      value: `${balance} (overdrawn: more was charged than credited)`,
    };
  }
  fields.push({
    label: 'Last top-up',
    value: summary.lastTopUp
      ? `${money(summary.lastTopUp.amountMinor)} on ${formatWhen(summary.lastTopUp.at)}`
      : 'none yet',
  });
  fields.push({ label: 'Usage, last 7 days', value: money(summary.usageLast7DaysMinor) });
  if (summary.runwayDays !== null) {
    fields.push({ label: 'Lasts about', value: `${formatDays(summary.runwayDays)} at that rate` });
  }

  return {
    outcome: 'ok',
    text: `Balance: ${balance}`,
    blocks: [
      { type: 'heading', text: `Balance: ${balance}` },
      { type: 'fields', fields },
    ],
  };
}
