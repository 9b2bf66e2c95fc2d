import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccount, findOrCreateAccount } from '../../src/billing/accounts.ts';
import { normaliseLinkCode } from '../../src/billing/link-codes.ts';
import { jsonReplacer } from '../../src/billing/money.ts';
import type { Database } from '../../src/db/database.ts';
import { databaseTargets } from '../support/databases.ts';
import { at, discordAdmin, linkFixtures, placeOf } from '../support/link-fixtures.ts';

describe.each(databaseTargets())('workspace links on $name', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });
  const { slackCode, redeem, credit, freshId, codeRow } = linkFixtures(() => database);

  it('moves the redeeming workspace onto the code account; both then see one balance', async () => {
    const { account, code } = await slackCode('T_SHARE');
    const discord = placeOf('discord', '111111111111111111');

    const outcome = await redeem(code, discord);
    await credit(account.id, 2_500n, 'test:share:credit');

    expect(outcome).toMatchObject({ status: 'linked', previous: 'none' });
    const fromSlack = await findAccount(database.prisma, placeOf('slack', 'T_SHARE').workspace);
    const fromDiscord = await findAccount(database.prisma, discord.workspace);
    expect(fromDiscord?.id).toBe(account.id);
    expect(fromSlack?.balanceMinor).toBe(2_500n);
    expect(fromDiscord?.balanceMinor).toBe(2_500n);
  });

  it('accepts a code once: a second workspace gets the one answer for invalid codes', async () => {
    const { code } = await slackCode('T_ONCE');

    const first = await redeem(code, placeOf('discord', '222222222222222222'));
    const second = await redeem(code, placeOf('slack', 'T_ONCE_LATE'));

    expect(first.status).toBe('linked');
    expect(second).toEqual({ status: 'invalid' });
    expect(await findAccount(database.prisma, placeOf('slack', 'T_ONCE_LATE').workspace)).toBe(
      null,
    );
  });

  it('expires a code ten minutes after it was made', async () => {
    const { code } = await slackCode('T_EXPIRY');
    const discord = placeOf('discord', '333333333333333333');

    const late = await redeem(code, discord, at(10));
    const justInTime = await redeem(code, discord, new Date(at(10).getTime() - 1));

    expect(late).toEqual({ status: 'invalid' });
    expect(justInTime.status).toBe('linked');
  });

  it('refuses a code in the workspace that made it, and leaves the code usable', async () => {
    const { place, code } = await slackCode('T_SAME_PLACE');

    const here = await redeem(code, place);
    const there = await redeem(code, placeOf('console', 'local-same'));

    expect(here).toEqual({ status: 'same_workspace' });
    expect(there.status).toBe('linked');
  });

  it('says "already linked" when the workspace shares that account, and keeps the code', async () => {
    const first = await slackCode('T_ALREADY');
    const discord = placeOf('discord', '444444444444444444');
    await redeem(first.code, discord);
    const second = await slackCode('T_ALREADY');

    const again = await redeem(second.code, discord);
    const other = await redeem(second.code, placeOf('slack', 'T_ALREADY_OTHER'));

    expect(again).toMatchObject({ status: 'already_linked' });
    expect(other.status).toBe('linked');
  });

  it('makes an earlier unused code of the same workspace stop working', async () => {
    const older = await slackCode('T_REPLACED');
    const newer = await slackCode('T_REPLACED', at(2));

    expect(newer.replacedEarlier).toBe(true);
    expect(await redeem(older.code, placeOf('discord', '555555555555555555'), at(3))).toEqual({
      status: 'invalid',
    });
    expect((await redeem(newer.code, placeOf('discord', '555555555555555555'), at(3))).status).toBe(
      'linked',
    );
  });

  it('lets exactly one of simultaneous redemptions of a code succeed', async () => {
    const { account, code } = await slackCode('T_RACE');
    const contenders = Array.from({ length: 6 }, () => placeOf('discord', freshId()));
    await Promise.all(
      contenders.map((place) => findOrCreateAccount(database.prisma, place.workspace, 'usd')),
    );

    const outcomes = await Promise.all(contenders.map((place) => redeem(code, place)));

    expect(outcomes.filter((outcome) => outcome.status === 'linked')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === 'invalid')).toHaveLength(5);
    expect(await database.prisma.workspace.count({ where: { accountId: account.id } })).toBe(2);
  });

  it('takes the code as typed: lower case, spaces, no dash', async () => {
    const { code } = await slackCode('T_TYPED');
    const typed = ` ${code.replace('-', ' ').toLowerCase()} `;

    expect((await redeem(typed, placeOf('console', 'local-typed'))).status).toBe('linked');
  });

  it('audits making and redeeming a code on the shared account, never with the code', async () => {
    const { account, code } = await slackCode('T_AUDITED');
    const discord = placeOf('discord', '888888888888888888');
    await redeem(code, discord);

    const events = await database.prisma.auditEvent.findMany({
      where: { accountId: account.id },
      orderBy: { id: 'asc' },
    });
    expect(events.map((event) => [event.action, event.actorId, event.workspaceId])).toEqual([
      ['account.link_code_created', 'U0ADMIN', 'T_AUDITED'],
      ['account.workspace_linked', discordAdmin.userId, '888888888888888888'],
    ]);
    expect(events[1]?.after).toMatchObject({
      platform: 'discord',
      workspaceId: '888888888888888888',
      codeMadeIn: { platform: 'slack', workspaceId: 'T_AUDITED' },
      previousAccount: 'none',
    });
    const everyAudit = await database.prisma.auditEvent.findMany();
    const stored = JSON.stringify([everyAudit, await codeRow(code)], jsonReplacer);
    expect(stored).not.toContain(code);
    expect(stored).not.toContain(normaliseLinkCode(code));
  });
});
