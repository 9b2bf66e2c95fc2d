// `npm run billing -- <command>`: the operator's tools for support. Every change is a ledger
// entry (an adjustment) with the operator and the reason, audited like any other.
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { type Account, findAccountByReference } from '../billing/accounts.ts';
import { applyLedgerChange, recentEntries } from '../billing/ledger.ts';
import { formatMoney, majorToMinor } from '../billing/money.ts';
import { profileCompleteness } from '../billing/profile.ts';
import { loadProfile } from '../billing/profile-store.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import { type Database, openDatabase } from '../db/database.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

const USAGE = `Usage: npm run billing -- <command>

  show <account>                              the account: balance, workspaces, billing details
  entries <account> [--limit 20]              its latest ledger entries
  credit <account> <amount> --reason "…"      add credits (an adjustment), e.g. a goodwill credit
  debit <account> <amount> --reason "…"       take credits back (an adjustment)

<account> is an account id, or slack:<team id>, discord:<server id>, console:local.
<amount> is in the account's currency, e.g. 25 or 25.50.`;

class UsageError extends Error {}

// Far beyond any real adjustment, and far from the limits of the database's 64-bit integers.
const MAX_ADJUSTMENT_MINOR = 10n ** 12n;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { reason: { type: 'string' }, limit: { type: 'string' }, help: { type: 'boolean' } },
  });
  const [command, reference, amountText] = positionals;
  if (values.help || command === 'help') return usage('');
  if (!command) return usage('Name a command.');
  if (!['show', 'entries', 'credit', 'debit'].includes(command)) {
    return usage(`Unknown command "${command}".`);
  }
  if (!reference) return usage('Name the account.');

  const database = await openDatabase(loadConfig().database);
  try {
    const account = await findAccountByReference(database.prisma, reference);
    if (!account) throw new UsageError(`No account "${reference}".`);
    if (command === 'show') await show(database, account);
    else if (command === 'entries') await entries(database.prisma, account, values.limit);
    else await adjust(database.prisma, account, command, amountText, values.reason);
    return 0;
  } finally {
    await database.close();
  }
}

async function show(database: Database, account: Account) {
  const prisma = database.prisma;
  const [workspaces, profile] = await Promise.all([
    prisma.workspace.findMany({ where: { accountId: account.id } }),
    loadProfile(prisma, account.id),
  ]);
  const completeness = profileCompleteness(profile);
  print([
    `Account          ${account.id}`,
    `Balance          ${formatMoney(account.balanceMinor, account.currency)}`,
    `Workspaces       ${workspaces.map((w) => `${w.platform}:${w.externalId}`).join(', ')}`,
    `Billing details  ${completeness.complete ? 'complete' : 'incomplete'}`,
    `Stripe customer  ${account.stripeCustomerId ?? 'none yet'}`,
  ]);
}

async function entries(prisma: PrismaClient, account: Account, limitText: string | undefined) {
  const limit = Number(limitText ?? '20');
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new UsageError('--limit takes a whole number from 1 to 500.');
  }
  const rows = await recentEntries(prisma, account.id, limit);
  if (rows.length === 0) return print(['No ledger entries yet.']);
  print(
    rows.map((entry) =>
      [
        entry.createdAt.toISOString(),
        entry.kind.padEnd(10),
        formatMoney(entry.amountMinor, account.currency).padStart(14),
        `${entry.actorPlatform}:${entry.actorId}`,
        entry.description,
      ].join('  '),
    ),
  );
}

async function adjust(
  prisma: PrismaClient,
  account: Account,
  direction: string,
  amountText: string | undefined,
  reason: string | undefined,
) {
  if (!amountText) throw new UsageError('Give the amount, e.g. 25 or 25.50.');
  if (!reason?.trim())
    throw new UsageError('Say why with --reason "…": it goes into the audit log.');
  let amountMinor: bigint;
  try {
    amountMinor = majorToMinor(amountText, account.currency);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (amountMinor <= 0n) throw new UsageError('The amount must be more than zero.');
  if (amountMinor > MAX_ADJUSTMENT_MINOR) {
    throw new UsageError('That is more than any support adjustment should be; check the amount.');
  }

  const operator = userInfo().username;
  const outcome = await applyLedgerChange(prisma, {
    accountId: account.id,
    kind: 'adjustment',
    amountMinor: direction === 'credit' ? amountMinor : -amountMinor,
    description: `${direction === 'credit' ? 'Credit' : 'Debit'} by support: ${reason.trim()}`,
    actor: { platform: 'operator', userId: operator, userName: operator },
    place: null,
    // Each run is a new adjustment; running the command twice means two of them.
    idempotencyKey: `operator:${randomUUID()}`,
  });
  const money = (minor: bigint) => formatMoney(minor, account.currency);
  print([
    `${direction === 'credit' ? 'Credited' : 'Debited'} ${money(amountMinor)}. ` +
      `New balance: ${money(outcome.balanceMinor)}.`,
  ]);
}

function print(lines: string[]) {
  process.stdout.write(`${lines.join('\n')}\n`);
}

function usage(problem: string): number {
  process.stderr.write(`${problem ? `${problem}\n\n` : ''}${USAGE}\n`);
  return problem ? 2 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const known =
    error instanceof UsageError ||
    error instanceof ConfigError ||
    error instanceof DataDirLockedError;
  const hint =
    error instanceof DataDirLockedError
      ? '\nThe bot is running on this embedded database: stop it first, or run both on PostgreSQL.'
      : '';
  process.stderr.write(`${known ? '' : 'Failed: '}${(error as Error).message}${hint}\n`);
  process.exitCode = known && error instanceof UsageError ? 2 : 1;
}
