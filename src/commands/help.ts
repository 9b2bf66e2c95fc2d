// `/billing help`: every command with one line each.
import { SUBCOMMANDS } from './grammar.ts';
import type { Reply } from './types.ts';

/** The command list, after an optional sentence (e.g. why help is shown). */
export function helpReply(preface?: string): Reply {
  const lines = SUBCOMMANDS.map(
    (subcommand) => `/billing ${subcommand.usage} – ${subcommand.help}`,
  );
  return {
    outcome: preface ? 'invalid' : 'ok',
    text: preface ?? 'Billing commands',
    blocks: [
      ...(preface ? [{ type: 'text' as const, text: preface }] : []),
      { type: 'heading', text: 'Billing commands' },
      { type: 'text', text: lines.join('\n') },
      { type: 'text', text: '/billing alone shows the balance.' },
    ],
  };
}
