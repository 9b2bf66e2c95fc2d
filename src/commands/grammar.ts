// The /billing grammar shared by every adapter: `/billing <subcommand> [arguments]`.
// Subcommands are case-insensitive and extra spaces are ignored.

/** The subcommands, in the order help lists them, with their one-line descriptions. */
export const SUBCOMMANDS = [
  {
    name: 'balance',
    usage: 'balance',
    help: 'Show the balance, the last top-up and recent usage.',
  },
  {
    name: 'add',
    usage: 'add <amount>',
    help: 'Add credits through a payment link (billing admins).',
  },
  { name: 'info', usage: 'info', help: 'Show the billing details printed on invoices.' },
  { name: 'edit', usage: 'edit', help: 'Change the billing details (billing admins).' },
  { name: 'history', usage: 'history', help: 'Show the latest ledger entries.' },
  {
    name: 'alerts',
    usage: 'alerts [on | off | channel #name | threshold <amount> | runway <days> | snooze]',
    help: 'Show or change low-balance alerts (changes: billing admins).',
  },
  {
    name: 'link',
    usage: 'link [code]',
    help: 'Share this account with another workspace: a code here, typed there (billing admins).',
  },
  { name: 'help', usage: 'help', help: 'List these commands.' },
] as const;

export type SubcommandName = (typeof SUBCOMMANDS)[number]['name'];

/** A parsed command line: a known subcommand with its argument text, or an unknown word. */
export type ParsedCommand =
  | { kind: 'known'; name: SubcommandName; argument: string }
  | { kind: 'unknown'; word: string };

/** Parses what follows `/billing`; an empty line means `balance`. */
export function parseBillingText(text: string): ParsedCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words[0]?.toLowerCase() === '/billing' || words[0]?.toLowerCase() === 'billing') {
    words.shift();
  }

  const [first, ...rest] = words;
  if (first === undefined) return { kind: 'known', name: 'balance', argument: '' };

  const word = first.toLowerCase();
  const known = SUBCOMMANDS.find((subcommand) => subcommand.name === word);
  if (!known) return { kind: 'unknown', word: first.slice(0, 40) };
  return { kind: 'known', name: known.name, argument: rest.join(' ') };
}
