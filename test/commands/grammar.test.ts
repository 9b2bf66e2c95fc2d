import { describe, expect, it } from 'vitest';
import { parseBillingText, SUBCOMMANDS } from '../../src/commands/grammar.ts';
import { helpReply } from '../../src/commands/help.ts';
import { renderReply } from '../../src/console/render.ts';

describe('parseBillingText', () => {
  it.each([
    ['', { kind: 'known', name: 'balance', argument: '' }],
    ['   ', { kind: 'known', name: 'balance', argument: '' }],
    ['/billing', { kind: 'known', name: 'balance', argument: '' }],
    ['balance', { kind: 'known', name: 'balance', argument: '' }],
    ['BALANCE', { kind: 'known', name: 'balance', argument: '' }],
    ['  /billing   HiStOrY  ', { kind: 'known', name: 'history', argument: '' }],
    ['billing info', { kind: 'known', name: 'info', argument: '' }],
    ['/BILLING edit', { kind: 'known', name: 'edit', argument: '' }],
    ['help', { kind: 'known', name: 'help', argument: '' }],
    ['add 100', { kind: 'known', name: 'add', argument: '100' }],
    ['add 1 000', { kind: 'known', name: 'add', argument: '1 000' }],
    ['/billing add $5', { kind: 'known', name: 'add', argument: '$5' }],
    ['Add   25.50', { kind: 'known', name: 'add', argument: '25.50' }],
    ['add', { kind: 'known', name: 'add', argument: '' }],
    ['link', { kind: 'known', name: 'link', argument: '' }],
    ['/billing LINK k7qm 2xpd', { kind: 'known', name: 'link', argument: 'k7qm 2xpd' }],
    ['nonsense', { kind: 'unknown', word: 'nonsense' }],
    ['/billing frobnicate now', { kind: 'unknown', word: 'frobnicate' }],
    ['Balanse', { kind: 'unknown', word: 'Balanse' }], // the word as typed
  ])('reads %j as %j', (text, expectedCommand) => {
    expect(parseBillingText(text)).toEqual(expectedCommand);
  });

  it('cuts an unknown word to 40 characters', () => {
    const parsed = parseBillingText('x'.repeat(100));

    expect(parsed).toEqual({ kind: 'unknown', word: 'x'.repeat(40) });
  });
});

describe('helpReply', () => {
  it('lists every subcommand once, one line each, in the order of SUBCOMMANDS', () => {
    expect(renderReply(helpReply())).toBe(
      [
        '== Billing commands ==',
        '/billing balance – Show the balance, the last top-up and recent usage.',
        '/billing add <amount> – Add credits through a payment link (billing admins).',
        '/billing info – Show the billing details printed on invoices.',
        '/billing edit – Change the billing details (billing admins).',
        '/billing history – Show the latest ledger entries.',
        '/billing alerts [on | off | channel #name | threshold <amount> | runway <days> | ' +
          'snooze] – Show or change low-balance alerts (changes: billing admins).',
        '/billing link [code] – Share this account with another workspace: a code here, typed ' +
          'there (billing admins).',
        '/billing help – List these commands.',
        '/billing alone shows the balance.',
      ].join('\n'),
    );
  });

  it('has exactly one line for each subcommand', () => {
    const lines = renderReply(helpReply()).split('\n');

    for (const subcommand of SUBCOMMANDS) {
      const matching = lines.filter((line) => line.startsWith(`/billing ${subcommand.usage} – `));
      expect(matching, subcommand.name).toEqual([
        `/billing ${subcommand.usage} – ${subcommand.help}`,
      ]);
    }
  });

  it('puts the preface first and marks the reply invalid', () => {
    const reply = helpReply('Unknown command "frobnicate".');

    expect(reply.outcome).toBe('invalid');
    expect(renderReply(reply).split('\n').slice(0, 2)).toEqual([
      'Unknown command "frobnicate".',
      '== Billing commands ==',
    ]);
  });
});
