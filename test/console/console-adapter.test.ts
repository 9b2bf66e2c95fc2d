import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findOrCreateAccount } from '../../src/billing/accounts.ts';
import { applyLedgerChange } from '../../src/billing/ledger.ts';
import { openDatabase } from '../../src/db/database.ts';
import { runBot, startBot } from '../support/bot-process.ts';

// A valid German profile, typed one field per line in form order.
const GERMAN_PROFILE = [
  'Beispiel Cloud GmbH',
  'Musterstraße 12',
  '3. OG',
  'Berlin',
  '',
  '10115',
  'Germany',
  'DE 136.695.976',
];

describe('console adapter, as a process', () => {
  let dataDir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'console-test-')), 'pglite');
    env = { DATABASE_URL: `file:${dataDir}` };
  });
  afterEach(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('answers piped commands and exits cleanly at the end of input', async () => {
    const run = await runBot(env, [
      '/billing balance',
      'balance',
      '/billing',
      '/billing help',
      'frobnicate',
    ]);

    expect(run.code).toBe(0);
    expect(run.stdout.match(/Balance: \$0\.00/g)).toHaveLength(3);
    for (const command of ['balance', 'add <amount>', 'info', 'edit', 'history', 'help']) {
      expect(run.stdout).toContain(`/billing ${command} – `);
    }
    expect(run.stdout).toContain('Unknown command "frobnicate".');
    expect(run.stderr).toContain('the database was closed cleanly');
  });

  it('formats the balance in the configured currency', async () => {
    const run = await runBot({ ...env, BILLING_CURRENCY: 'jpy' }, ['/billing balance']);

    expect(run.stdout).toContain('Balance: ¥0');
  });

  it('explains a refused top-up amount and that payments are not set up', async () => {
    const run = await runBot(env, [
      '/billing add 1e3',
      '/billing add 100.999',
      '/billing add 2',
      '/billing add 100',
    ]);

    expect(run.stdout).toContain('like 1000 instead of 1e3');
    expect(run.stdout).toContain('USD amounts have at most 2 decimals');
    expect(run.stdout).toContain('The smallest top-up is $5.00.');
    expect(run.stdout).toContain(
      'Payments are not set up on this bot yet, so $100.00 cannot be charged.',
    );
  });

  it('shows every field problem of an edit, saves only once fixed, and keeps it after a restart', async () => {
    const edit = await runBot(env, [
      '/billing edit',
      'Beispiel Cloud GmbH',
      'Musterstraße 12',
      '',
      'Berlin',
      '',
      '1011', // four digits: German postal codes have five
      'Germany',
      'DE12345', // too short for a German VAT number
      '10115',
      'DE136695976',
    ]);

    expect(edit.code).toBe(0);
    expect(edit.stdout).toContain('Not saved. Please fix:');
    expect(edit.stdout).toContain(
      'ZIP or postal code: Enter the postal code in the form used in Germany',
    );
    expect(edit.stdout).toContain('Tax ID: That is not a valid German VAT number');
    expect(edit.stdout).toContain('Billing details saved.');

    const restarted = await runBot(env, ['/billing info']);
    expect(restarted.stdout).toContain('Beispiel Cloud GmbH');
    expect(restarted.stdout).toContain('Germany (DE)');
    expect(restarted.stdout).toContain('DE136695976');
  });

  it('keeps the saved profile when a later edit is invalid or cancelled', async () => {
    await runBot(env, ['/billing edit', ...GERMAN_PROFILE]);

    const run = await runBot(env, [
      '/billing edit',
      '-', // clearing the required legal name
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '/cancel',
      '/billing info',
    ]);

    expect(run.stdout).toContain('Legal name: Enter the legal name.');
    expect(run.stdout).toContain('Cancelled: nothing was saved.');
    expect(run.stdout).toContain('Legal name:         Beispiel Cloud GmbH');
    expect(run.stdout).toContain('Tax ID:             DE136695976');
  });

  it('denies a member editing or adding credits, and shows them only whether details are complete', async () => {
    await runBot(env, ['/billing edit', ...GERMAN_PROFILE]);

    const member = await runBot({ ...env, CONSOLE_ROLE: 'member' }, [
      '/billing edit',
      '/billing add 50',
      '/billing info',
    ]);

    expect(member.stdout).toContain('Only billing admins can edit billing details.');
    expect(member.stdout).toContain('Only billing admins can add credits.');
    expect(member.stdout).toContain('The billing details are complete.');
    expect(member.stdout).not.toContain('Musterstraße');
    expect(member.stdout).not.toContain('Legal name');
  });

  it('lets a member listed in BILLING_ADMIN_IDS edit', async () => {
    const run = await runBot(
      {
        ...env,
        CONSOLE_ROLE: 'member',
        CONSOLE_USER_ID: 'finance',
        BILLING_ADMIN_IDS: 'console:finance',
      },
      ['/billing edit', ...GERMAN_PROFILE],
    );

    expect(run.stdout).toContain('Billing details saved.');
  });

  it('lists ledger entries with when, what, amount and who', async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir });
    const account = await findOrCreateAccount(
      database.prisma,
      { platform: 'console', externalId: 'local' },
      'usd',
    );
    await applyLedgerChange(database.prisma, {
      accountId: account.id,
      kind: 'topup',
      amountMinor: 2500n,
      description: 'Card payment',
      actor: { platform: 'slack', userId: 'U0FINANCE', userName: 'Fiona Finance' },
      place: null,
      idempotencyKey: 'test:history:topup',
    });
    await database.close();

    const run = await runBot(env, ['/billing history', '/billing balance']);

    expect(run.stdout).toMatch(
      /\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+Top-up: Card payment\s+\+\$25\.00\s+Fiona Finance/,
    );
    expect(run.stdout).toContain('Balance: $25.00');
    expect(run.stdout).toMatch(/Last top-up:\s+\$25\.00 on/);
  });

  it('refuses a second process on the same data directory, naming the holder', async () => {
    const first = startBot(env);
    await first.waitFor(/database ready/);

    const second = await runBot(env, ['/billing balance']);

    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`${dataDir} is in use by process ${first.child.pid}`);
    expect(second.stdout).not.toContain('Balance');
    first.child.stdin.end();
    expect((await first.exited).code).toBe(0);
  });

  it('closes the database cleanly on SIGTERM, keeping what was saved', async () => {
    const bot = startBot(env);
    await bot.waitFor(/database ready/);
    bot.child.stdin.write(['/billing edit', ...GERMAN_PROFILE, ''].join('\n'));
    await bot.waitFor(/Billing details saved/);

    bot.child.kill('SIGTERM');
    const run = await bot.exited;

    expect(run.code).toBe(0);
    expect(run.stderr).toContain('the database was closed cleanly');
    const after = await runBot(env, ['/billing info']);
    expect(after.stdout).toContain('Beispiel Cloud GmbH');
  });

  it('reports every bad setting at once and exits before opening the database', async () => {
    const run = await runBot({ ...env, PORT: 'abc', BILLING_CURRENCY: 'xyz' }, [
      '/billing balance',
    ]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PORT:');
    expect(run.stderr).toContain('BILLING_CURRENCY:');
    expect(existsSync(dataDir)).toBe(false);
  });
});
