// `/billing add <amount>`: billing admins top up credits. Payments arrive with Stripe; until
// then the amount is still checked, so an admin learns what the bot will accept.
import { formatMoney, parseTopUpAmount } from '../billing/money.ts';
import { adminOnlyReply, type CommandContext, requesterIsAdmin } from './context.ts';
import type { Reply } from './types.ts';

export function addCommand(context: CommandContext, amountText: string): Reply {
  const { deps, request, account } = context;
  if (!requesterIsAdmin(context)) return adminOnlyReply(request, 'add credits');

  if (!amountText) {
    return invalid('Say how much to add, for example: /billing add 100');
  }
  const amount = parseTopUpAmount(amountText, account.currency, deps.topUp);
  if (!amount.ok) return invalid(amount.reason);

  const formatted = formatMoney(amount.minor, account.currency);
  const text =
    `Payments are not set up on this bot yet, so ${formatted} cannot be charged. An operator ` +
    'turns them on by setting STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (see the README). ' +
    'Nothing was charged.';
  return { outcome: 'error', text, blocks: [{ type: 'text', text }] };
}

function invalid(text: string): Reply {
  return { outcome: 'invalid', text, blocks: [{ type: 'text', text }] };
}
