import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrCreateAccount } from '../../src/billing/accounts.ts';
import type { Actor } from '../../src/billing/actors.ts';
import { applyLedgerChange, auditBalance, recentEntries } from '../../src/billing/ledger.ts';
import type { Database } from '../../src/db/database.ts';
import { databaseTargets } from '../support/databases.ts';

const alice: Actor = { platform: 'slack', userId: 'U0ALICE', userName: 'Alice Example' };

describe.each(databaseTargets())('ledger on $name', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  const newAccount = (externalId: string) =>
    findOrCreateAccount(database.prisma, { platform: 'slack', externalId }, 'usd');

  it('credits once per idempotency key and reports the repeat as already applied', async () => {
    const account = await newAccount('T_ONCE');
    const change = {
      accountId: account.id,
      kind: 'topup' as const,
      amountMinor: 10_000n,
      description: 'Top-up by card',
      actor: alice,
      place: null,
      idempotencyKey: 'test:once:1',
    };

    const first = await applyLedgerChange(database.prisma, change);
    const second = await applyLedgerChange(database.prisma, change);

    expect(first.status).toBe('applied');
    expect(first.balanceMinor).toBe(10_000n);
    expect(second.status).toBe('already_applied');
    expect(second.entry.id).toBe(first.entry.id);
    expect(second.balanceMinor).toBe(10_000n);
  });

  it('ends 50 concurrent credits and debits, a quarter of them duplicates, at the exact sum', async () => {
    const account = await newAccount('T_CONCURRENT');
    // 40 distinct changes: even ones credit $12.34, odd ones debit $5.67. The first 10 keys are
    // sent twice, so 50 requests carry 40 keys.
    const distinct = Array.from({ length: 40 }, (_, index) => ({
      key: `test:concurrent:${index}`,
      amountMinor: index % 2 === 0 ? 1234n : -567n,
    }));
    const requests = [...distinct, ...distinct.slice(0, 10)];

    const outcomes = await Promise.all(
      requests.map(({ key, amountMinor }) =>
        applyLedgerChange(database.prisma, {
          accountId: account.id,
          kind: amountMinor > 0n ? 'topup' : 'usage',
          amountMinor,
          description: 'concurrent change',
          actor: alice,
          place: null,
          idempotencyKey: key,
        }),
      ),
    );

    // 20 credits of 1234 and 20 debits of 567: 24680 - 11340 = 13340 cents.
    const audit = await auditBalance(database.prisma, account.id);
    expect(audit.storedMinor).toBe(13_340n);
    expect(audit.entriesMinor).toBe(13_340n);
    expect(outcomes.filter((outcome) => outcome.status === 'applied')).toHaveLength(40);
    expect(outcomes.filter((outcome) => outcome.status === 'already_applied')).toHaveLength(10);
    const entries = await recentEntries(database.prisma, account.id, 100);
    expect(new Set(entries.map((entry) => entry.idempotencyKey)).size).toBe(40);
    expect(entries).toHaveLength(40);
  });

  it('lets usage overdraw the balance and records the balance after each entry', async () => {
    const account = await newAccount('T_OVERDRAW');
    const change = (key: string, amountMinor: bigint) =>
      applyLedgerChange(database.prisma, {
        accountId: account.id,
        kind: amountMinor > 0n ? 'topup' : 'usage',
        amountMinor,
        description: key,
        actor: alice,
        place: null,
        idempotencyKey: key,
      });

    await change('test:overdraw:credit', 500n);
    const debit = await change('test:overdraw:usage', -800n);

    expect(debit.balanceMinor).toBe(-300n);
    expect(debit.entry.balanceAfterMinor).toBe(-300n);
  });

  it('keeps amounts beyond Number.MAX_SAFE_INTEGER exact', async () => {
    const account = await newAccount('T_HUGE');
    const huge = 9_007_199_254_740_993n; // MAX_SAFE_INTEGER + 2: a float would round it.

    const outcome = await applyLedgerChange(database.prisma, {
      accountId: account.id,
      kind: 'adjustment',
      amountMinor: huge,
      description: 'huge',
      actor: alice,
      place: null,
      idempotencyKey: 'test:huge',
    });

    expect(outcome.balanceMinor).toBe(9_007_199_254_740_993n);
    const reread = await database.prisma.account.findUniqueOrThrow({ where: { id: account.id } });
    expect(reread.balanceMinor).toBe(9_007_199_254_740_993n);
  });

  it('refuses to reuse a key for another account, changing neither', async () => {
    const first = await newAccount('T_KEY_A');
    const second = await newAccount('T_KEY_B');
    const change = {
      kind: 'topup' as const,
      amountMinor: 100n,
      description: 'shared key',
      actor: alice,
      place: null,
      idempotencyKey: 'test:shared-key',
    };

    await applyLedgerChange(database.prisma, { ...change, accountId: first.id });

    await expect(
      applyLedgerChange(database.prisma, { ...change, accountId: second.id }),
    ).rejects.toThrow(/already belongs to account/);
    const untouched = await database.prisma.account.findUniqueOrThrow({ where: { id: second.id } });
    expect(untouched.balanceMinor).toBe(0n);
  });

  it('refuses to edit or delete a ledger entry in the database itself', async () => {
    const account = await newAccount('T_APPEND_ONLY');
    const { entry } = await applyLedgerChange(database.prisma, {
      accountId: account.id,
      kind: 'topup',
      amountMinor: 100n,
      description: 'append-only',
      actor: alice,
      place: null,
      idempotencyKey: 'test:append-only',
    });

    await expect(
      database.prisma.ledgerEntry.update({ where: { id: entry.id }, data: { amountMinor: 1n } }),
    ).rejects.toThrow(/append-only/);
    await expect(database.prisma.ledgerEntry.delete({ where: { id: entry.id } })).rejects.toThrow(
      /append-only/,
    );
  });

  it('audits every entry with who made it', async () => {
    const account = await newAccount('T_AUDIT');
    await applyLedgerChange(database.prisma, {
      accountId: account.id,
      kind: 'topup',
      amountMinor: 2500n,
      description: 'audited',
      actor: alice,
      place: { workspace: { platform: 'slack', externalId: 'T_AUDIT' }, channelId: 'C0BILLING' },
      idempotencyKey: 'test:audited',
    });

    const events = await database.prisma.auditEvent.findMany({ where: { accountId: account.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'ledger.topup',
      actorPlatform: 'slack',
      actorId: 'U0ALICE',
      actorName: 'Alice Example',
      workspaceId: 'T_AUDIT',
      channelId: 'C0BILLING',
    });
    expect(events[0]?.after).toMatchObject({ amountMinor: '2500', balanceMinor: '2500' });
  });
});
