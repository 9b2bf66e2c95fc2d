import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { type BotRun, runBot, startBot } from '../support/bot-process.ts';

// The operator CLI as an operator runs it (`npm run billing -- …`), on the bot's own data.
describe('npm run billing (the operator CLI)', () => {
  let root: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'billing-cli-'));
    env = { DATABASE_URL: `file:${join(root, 'pglite')}` };
    // The console workspace's account exists once someone used /billing there.
    await runBot(env, ['/billing balance']);
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const billing = (...args: string[]): Promise<BotRun> => {
    const run = startBot(env, 'src/cli/billing-cli.ts', args);
    run.child.stdin.end();
    return run.exited;
  };

  it('credits and debits with a reason, audited with the operator, and shows the result', async () => {
    const credit = await billing('credit', 'console:local', '25.50', '--reason', 'goodwill');
    const debit = await billing('debit', 'console:local', '0.50', '--reason', 'double charge');
    const show = await billing('show', 'console:local');
    const entries = await billing('entries', 'console:local');

    expect(credit).toMatchObject({ code: 0, stdout: 'Credited $25.50. New balance: $25.50.\n' });
    expect(debit).toMatchObject({ code: 0, stdout: 'Debited $0.50. New balance: $25.00.\n' });
    expect(show.stdout).toContain('Balance          $25.00');
    expect(show.stdout).toContain('Workspaces       console:local');
    const lines = entries.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /adjustment\s+-\$0\.50\s+operator:\S+\s+Debit by support: double charge$/,
    );
    expect(lines[1]).toMatch(/adjustment\s+\$25\.50\s+operator:\S+\s+Credit by support: goodwill$/);

    const database = await openDatabase({ kind: 'pglite', dataDir: join(root, 'pglite') });
    const audits = await database.prisma.auditEvent.findMany({
      where: { action: 'ledger.adjustment' },
    });
    await database.close();
    expect(audits.map((audit) => audit.actorPlatform)).toEqual(['operator', 'operator']);
  });

  it('refuses a change without a reason, or for an unknown account, and changes nothing', async () => {
    const noReason = await billing('credit', 'console:local', '5');
    const unknown = await billing('credit', 'slack:T0NOBODY', '5', '--reason', 'x');
    const show = await billing('show', 'console:local');

    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toBe('Say why with --reason "…": it goes into the audit log.\n');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('No account "slack:T0NOBODY".\n');
    expect(show.stdout).toContain('Balance          $25.00');
  });

  it('tells the operator to stop the bot when it holds the embedded database', async () => {
    const bot = startBot(env);
    await bot.waitFor(/database ready/);

    const blocked = await billing('show', 'console:local');
    bot.child.stdin.end();
    await bot.exited;

    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('stop it first, or run both on PostgreSQL');
  });
});
