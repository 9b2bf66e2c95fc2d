import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccount, findOrCreateAccount } from '../../src/billing/accounts.ts';
import type { Place } from '../../src/billing/actors.ts';
import { changeAlertSettings } from '../../src/billing/alert-settings.ts';
import { saveProfile } from '../../src/billing/profile-store.ts';
import { openTopUpQuote } from '../../src/billing/topups.ts';
import { createLinkCode } from '../../src/billing/workspace-links.ts';
import type { Database } from '../../src/db/database.ts';
import { databaseTargets } from '../support/databases.ts';
import { discordAdmin, linkFixtures, placeOf, T0 } from '../support/link-fixtures.ts';

// What happens to the account of a workspace that joins another one: refused when it holds
// anything, deleted when empty, kept when it has history.
describe.each(databaseTargets())('the account a linked workspace leaves, on $name', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });
  const { slackCode, redeem, credit, freshId, codeRow } = linkFixtures(() => database);

  // What the joining workspace's own account may hold, each of which refuses the link.
  const holdingCases: [string, (accountId: string, place: Place) => Promise<unknown>][] = [
    ['a balance and a ledger entry', (id) => credit(id, 1_200n, `test:hold:${id}`)],
    [
      'a usage entry that left the balance at zero',
      async (id) => {
        await credit(id, 500n, `test:hold:credit:${id}`);
        await credit(id, -500n, `test:hold:debit:${id}`);
      },
    ],
    [
      'billing details',
      (id, place) =>
        saveProfile(
          database.prisma,
          id,
          {
            legalName: 'Beispiel Cloud GmbH',
            addressLine1: 'Musterstraße 12',
            city: 'Berlin',
            postalCode: '10115',
            country: 'Germany',
            taxId: 'DE 136 695 976',
          },
          discordAdmin,
          place,
        ),
    ],
    [
      'alert settings',
      (id, place) =>
        changeAlertSettings(database.prisma, id, { enabled: true }, discordAdmin, place),
    ],
    [
      'a top-up quote',
      async (id, place) => {
        const account = await database.prisma.account.findUniqueOrThrow({ where: { id } });
        await openTopUpQuote(
          database.prisma,
          { account, amountMinor: 10_000n, requester: discordAdmin, place },
          T0,
        );
      },
    ],
  ];

  it.each(holdingCases)(
    'refuses a workspace whose account holds %s, changing nothing',
    async (_what, give) => {
      const { code } = await slackCode(`T_HOLD_${freshId()}`);
      const discord = placeOf('discord', freshId());
      const own = await findOrCreateAccount(database.prisma, discord.workspace, 'usd');
      await give(own.id, discord);
      const auditsBefore = await database.prisma.auditEvent.count();

      const outcome = await redeem(code, discord);

      expect(outcome).toMatchObject({ status: 'holds_billing_data' });
      expect((await findAccount(database.prisma, discord.workspace))?.id).toBe(own.id);
      expect(await database.prisma.auditEvent.count()).toBe(auditsBefore);
      expect((await codeRow(code)).usedAt).toBeNull();
    },
  );

  it('deletes the empty account a workspace leaves, and keeps one that has audit history', async () => {
    const first = await slackCode('T_EMPTY_A');
    const unused = placeOf('discord', freshId());
    const emptyOwn = await findOrCreateAccount(database.prisma, unused.workspace, 'eur');
    const second = await slackCode('T_EMPTY_B');
    const inviter = placeOf('discord', freshId());
    // This server made a code of its own before deciding to join instead: that is history.
    const inviterOwn = await findOrCreateAccount(database.prisma, inviter.workspace, 'usd');
    const ownCode = await createLinkCode(database.prisma, {
      account: inviterOwn,
      actor: discordAdmin,
      place: inviter,
      now: T0,
    });

    const deleted = await redeem(first.code, unused);
    const kept = await redeem(second.code, inviter);

    expect(deleted).toMatchObject({ status: 'linked', previous: 'deleted' });
    expect(await database.prisma.account.findUnique({ where: { id: emptyOwn.id } })).toBeNull();
    expect(kept).toMatchObject({ status: 'linked', previous: 'kept' });
    const left = await database.prisma.auditEvent.findMany({
      where: { accountId: inviterOwn.id },
      orderBy: { id: 'asc' },
    });
    expect(left.map((event) => event.action)).toEqual([
      'account.link_code_created',
      'account.workspace_moved_out',
    ]);
    // The server's own code would invite others to an account it left: it no longer works.
    expect(await redeem(ownCode.code, placeOf('slack', 'T_EMPTY_C'))).toEqual({
      status: 'invalid',
    });
  });
});
