import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccount, findOrCreateAccount } from '../../src/billing/accounts.ts';
import type { Database } from '../../src/db/database.ts';
import { databaseTargets } from '../support/databases.ts';

describe.each(databaseTargets())('accounts on $name', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('creates an account on first use, with the configured currency and a zero balance', async () => {
    const workspace = { platform: 'slack' as const, externalId: 'T0FIRST', name: 'First Team' };
    expect(await findAccount(database.prisma, workspace)).toBeNull();

    const account = await findOrCreateAccount(database.prisma, workspace, 'jpy');

    expect(account.currency).toBe('jpy');
    expect(account.balanceMinor).toBe(0n);
    expect((await findAccount(database.prisma, workspace))?.id).toBe(account.id);
  });

  it('gives ten simultaneous first requests of one workspace a single account', async () => {
    const workspace = { platform: 'discord' as const, externalId: '112233445566778899' };

    const accounts = await Promise.all(
      Array.from({ length: 10 }, () => findOrCreateAccount(database.prisma, workspace, 'usd')),
    );

    expect(new Set(accounts.map((account) => account.id)).size).toBe(1);
    expect(
      await database.prisma.workspace.count({ where: { externalId: workspace.externalId } }),
    ).toBe(1);
  });

  it('keeps a Slack team and a Discord server with the same id apart', async () => {
    const slack = await findOrCreateAccount(
      database.prisma,
      { platform: 'slack', externalId: 'SAME' },
      'usd',
    );
    const discord = await findOrCreateAccount(
      database.prisma,
      { platform: 'discord', externalId: 'SAME' },
      'usd',
    );

    expect(slack.id).not.toBe(discord.id);
  });
});
