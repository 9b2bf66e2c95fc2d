// Runs one /billing command: parse, then hand it to the subcommand's handler.
import { findOrCreateAccount } from '../billing/accounts.ts';
import { commandsTotal } from '../metrics.ts';
import { addCommand } from './add.ts';
import { alertsCommand } from './alerts.ts';
import { balanceCommand } from './balance.ts';
import { editCommand } from './edit.ts';
import { parseBillingText } from './grammar.ts';
import { helpReply } from './help.ts';
import { historyCommand } from './history.ts';
import { infoCommand } from './info.ts';
import { linkCommand } from './link.ts';
import type { BillingDeps, CommandRequest, CommandResult } from './types.ts';

/** Answers one /billing command. Database failures propagate to the adapter's error handler. */
export async function runBillingCommand(
  deps: BillingDeps,
  request: CommandRequest,
): Promise<CommandResult> {
  const parsed = parseBillingText(request.text);
  const command = parsed.kind === 'known' ? parsed.name : 'unknown';
  try {
    const result = await answer(deps, request);
    const outcome = result.type === 'reply' ? result.reply.outcome : 'ok';
    commandsTotal.inc({ command, outcome });
    return result;
  } catch (error) {
    commandsTotal.inc({ command, outcome: 'error' });
    throw error;
  }
}

async function answer(deps: BillingDeps, request: CommandRequest): Promise<CommandResult> {
  const parsed = parseBillingText(request.text);
  if (parsed.kind === 'unknown') {
    return { type: 'reply', reply: helpReply(`Unknown command "${parsed.word}".`) };
  }
  if (parsed.name === 'help') return { type: 'reply', reply: helpReply() };
  // Joining another account must not first create an account of this workspace's own.
  if (parsed.name === 'link') {
    return { type: 'reply', reply: await linkCommand(deps, request, parsed.argument) };
  }

  const account = await findOrCreateAccount(deps.prisma, request.workspace, deps.currency);
  const context = { deps, request, account };
  switch (parsed.name) {
    case 'balance':
      return { type: 'reply', reply: await balanceCommand(context) };
    case 'add':
      return { type: 'reply', reply: await addCommand(context, parsed.argument) };
    case 'info':
      return { type: 'reply', reply: await infoCommand(context) };
    case 'edit':
      return editCommand(context);
    case 'history':
      return { type: 'reply', reply: await historyCommand(context) };
    case 'alerts':
      return { type: 'reply', reply: await alertsCommand(context, parsed.argument) };
  }
}
