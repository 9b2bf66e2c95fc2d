// The replies of `/billing link <code>` that describe accounts and the workspaces sharing them.
import type { AccountHoldings } from '../billing/account-holdings.ts';
import type { Account } from '../billing/accounts.ts';
import type { WorkspaceRef } from '../billing/actors.ts';
import { formatMoney } from '../billing/money.ts';
import type { Reply } from './types.ts';

const PLACE_KINDS = { slack: 'Slack workspace', discord: 'Discord server', console: 'console' };

/**
 * A workspace in words: `this Discord server` (here), or `the Slack workspace acme` (there).
 * The console has no name: there is one per bot.
 */
export function describeWorkspace(workspace: WorkspaceRef, where: 'here' | 'there'): string {
  const kind = PLACE_KINDS[workspace.platform];
  if (where === 'here') return `this ${kind}`;
  if (workspace.platform === 'console') return 'the console';
  return `the ${kind} ${workspace.name ?? workspace.externalId}`;
}

/** The answer once `workspace` shares `account`: just now, or already before this code. */
export function linkedReply(
  workspace: WorkspaceRef,
  account: Account,
  workspaces: WorkspaceRef[],
  when: 'now' | 'already',
): Reply {
  const here = capitalise(describeWorkspace(workspace, 'here'));
  const others = workspaces.filter(
    (other) => other.platform !== workspace.platform || other.externalId !== workspace.externalId,
  );
  const partners = others.length
    ? listInWords(others.map((other) => describeWorkspace(other, 'there')))
    : 'no other workspace';
  const balance = formatMoney(account.balanceMinor, account.currency);

  const text =
    when === 'now'
      ? `${here} now shares one billing account with ${partners}. Balance: ${balance}.`
      : `${here} already shares this billing account with ${partners}; nothing changed.`;
  const fields = [
    { label: 'Balance', value: balance },
    { label: 'Shared by', value: listInWords(workspaces.map(nameOf)) },
  ];
  const blocks: Reply['blocks'] = [
    { type: 'heading', text: when === 'now' ? 'Billing account shared' : 'Already linked' },
    { type: 'text', text },
    { type: 'fields', fields },
  ];
  if (when === 'now') {
    blocks.push({
      type: 'text',
      text:
        'Everyone here sees this balance with /billing; top-ups and usage from any of these ' +
        'places draw on it.',
    });
  }
  return { outcome: 'ok', text, blocks };
}

/** Why a workspace whose own account holds money or history cannot join another account. */
export function ownAccountInUseReply(workspace: WorkspaceRef, holdings: AccountHoldings): Reply {
  const here = describeWorkspace(workspace, 'here');
  const text =
    `Nothing changed: ${here} has a billing account of its own with ` +
    `${listInWords(holdingsInWords(holdings))}. Joining the other account would hide that ` +
    `money and history, so ${here} cannot join it.`;
  const instead =
    `To share ${here}'s account instead, run /billing link here and type that code in the ` +
    'other place; that works when the other place holds no money or history of its own.';
  return {
    outcome: 'invalid',
    text,
    blocks: [
      { type: 'text', text },
      { type: 'text', text: instead },
    ],
  };
}

function holdingsInWords(holdings: AccountHoldings): string[] {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const words: string[] = [];
  if (holdings.balanceMinor !== 0n) {
    words.push(`a balance of ${formatMoney(holdings.balanceMinor, holdings.currency)}`);
  }
  if (holdings.ledgerEntries > 0) {
    words.push(count(holdings.ledgerEntries, 'ledger entry', 'ledger entries'));
  }
  if (holdings.topUps > 0) words.push(count(holdings.topUps, 'top-up', 'top-ups'));
  if (holdings.hasProfile) words.push('billing details');
  if (holdings.hasAlertSettings) words.push('low-balance alert settings');
  if (holdings.hasPaymentCustomer && holdings.topUps === 0) words.push('a Stripe customer');
  return words;
}

// `Slack workspace acme`, `Discord server 1234…`, `console`: for the list of a shared account.
function nameOf(workspace: WorkspaceRef): string {
  return describeWorkspace(workspace, 'there').replace(/^the /, '');
}

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
