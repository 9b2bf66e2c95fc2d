import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccount } from '../../src/billing/accounts.ts';
import type { Actor, WorkspaceRef } from '../../src/billing/actors.ts';
import { runBillingCommand } from '../../src/commands/billing-command.ts';
import { INVALID_CODE_TEXT } from '../../src/commands/link.ts';
import type { BillingDeps, CommandRequest } from '../../src/commands/types.ts';
import { renderReply } from '../../src/console/render.ts';
import type { Database } from '../../src/db/database.ts';
import { createRateLimiter } from '../../src/rate-limit.ts';
import { databaseTargets } from '../support/databases.ts';
import { at, linkFixtures, T0 } from '../support/link-fixtures.ts';

const console_: WorkspaceRef = { platform: 'console', externalId: 'local', name: 'Console' };
const slackTeam = (id: string): WorkspaceRef => ({ platform: 'slack', externalId: id, name: id });
const discordServer = (id: string): WorkspaceRef => ({ platform: 'discord', externalId: id });

// `/billing link` through the command runner every adapter uses, with a clock the test moves.
describe.each(databaseTargets())('/billing link on $name', (target) => {
  let database: Database;
  let deps: BillingDeps;
  let now = T0;
  beforeAll(async () => {
    database = await target.open();
    deps = {
      prisma: database.prisma,
      currency: 'usd',
      topUp: { minMajor: '5', maxMajor: '10000' },
      extraAdminIds: [],
      now: () => now,
      payments: null,
      notifier: null,
      alertDefaultThresholdMajor: '10',
      topUpLimiter: createRateLimiter(5, 60_000),
      linkCodeLimiter: createRateLimiter(5, 10 * 60_000),
    };
  });
  afterAll(async () => {
    await database?.close();
  });
  const { credit, codeRow } = linkFixtures(() => database);

  async function billing(workspace: WorkspaceRef, text: string, role = 'admin') {
    const actor: Actor = { platform: workspace.platform, userId: 'U0ME', userName: 'Me' };
    const request: CommandRequest = {
      workspace,
      actor,
      roles: { isPlatformAdmin: role === 'admin', isGuest: false },
      channelId: 'C0GENERAL',
      text,
      adminsDescription: 'Ask an admin.',
    };
    const result = await runBillingCommand(deps, request);
    if (result.type !== 'reply') throw new Error(`expected a reply, got ${result.type}`);
    return { ...result.reply, rendered: renderReply(result.reply) };
  }
  const codeIn = (text: string) => /Link code ([2-9A-Z]{4}-[2-9A-Z]{4})/.exec(text)?.[1] ?? '';

  it('gives an admin a code to type in the other place, which then shares the balance', async () => {
    now = T0;
    const offer = await billing(console_, '/billing link');
    const code = codeIn(offer.text);
    const consoleAccount = await findAccount(database.prisma, console_);
    await credit(consoleAccount?.id ?? '', 4_200n, 'test:command:credit');

    now = at(3);
    const joined = await billing(slackTeam('T0JOIN'), `link ${code}`);
    const balanceThere = await billing(slackTeam('T0JOIN'), 'balance');

    expect(offer.outcome).toBe('ok');
    expect(offer.rendered).toContain(`== Link code: ${code} ==`);
    expect(offer.rendered).toContain(
      `Run /billing link ${code} in the Slack workspace or Discord server that should join ` +
        'this billing account (an admin must run it there). The code works once and expires ' +
        'in 10 minutes, at 2026-12-04 10:10 UTC.',
    );
    expect(joined.text).toBe(
      'This Slack workspace now shares one billing account with the console. Balance: $42.00.',
    );
    expect(joined.rendered).toContain('Shared by: console and Slack workspace T0JOIN');
    expect(balanceThere.text).toBe('Balance: $42.00');
  });

  it('lets neither step be taken by a member, and changes nothing', async () => {
    now = T0;
    const code = codeIn((await billing(slackTeam('T0MEMBERS'), 'link')).text);
    const server = discordServer('900000000000000001');

    const offer = await billing(server, 'link', 'member');
    const join = await billing(server, `link ${code}`, 'member');

    expect(offer.text).toBe(
      'Only billing admins can link other workspaces to this billing account.',
    );
    expect(join.text).toBe(
      'Only billing admins can link this workspace to another billing account.',
    );
    expect(await findAccount(database.prisma, server)).toBeNull();
    expect(await database.prisma.workspaceLinkCode.count({ where: { platform: 'discord' } })).toBe(
      0,
    );
    expect((await codeRow(code)).usedAt).toBeNull();
  });

  it('answers an unknown, used or expired code with one sentence', async () => {
    now = T0;
    const code = codeIn((await billing(slackTeam('T0ONE'), 'link')).text);

    now = at(11);
    const expired = await billing(discordServer('900000000000000002'), `link ${code}`);
    const unknown = await billing(discordServer('900000000000000002'), 'link ZZZZ-ZZZZ');
    const malformed = await billing(discordServer('900000000000000002'), 'link hello');

    expect([expired.text, unknown.text, malformed.text]).toEqual([
      INVALID_CODE_TEXT,
      INVALID_CODE_TEXT,
      INVALID_CODE_TEXT,
    ]);
    expect(INVALID_CODE_TEXT).toBe(
      'That code is not valid or has expired; run /billing link again in the other place for ' +
        'a new one.',
    );
  });

  it('tells an admin typing the code where it was made to type it in the other place', async () => {
    now = T0;
    const code = codeIn((await billing(slackTeam('T0HERE'), 'link')).text);

    const here = await billing(slackTeam('T0HERE'), `link ${code.toLowerCase()}`);

    expect(here.text).toBe(
      `That code was made here, in this Slack workspace. Run /billing link ${code} in the ` +
        'other place: the Slack workspace or Discord server that should join this account.',
    );
  });

  it('refuses a workspace with money of its own, saying why and that nothing changed', async () => {
    now = T0;
    const code = codeIn((await billing(slackTeam('T0INVITER'), 'link')).text);
    const server = discordServer('900000000000000003');
    await billing(server, 'balance');
    const own = await findAccount(database.prisma, server);
    await credit(own?.id ?? '', 1_200n, 'test:command:own-money');

    const refused = await billing(server, `link ${code}`);

    expect(refused.outcome).toBe('invalid');
    expect(refused.rendered).toBe(
      'Nothing changed: this Discord server has a billing account of its own with a balance ' +
        'of $12.00 and 1 ledger entry. Joining the other account would hide that money and ' +
        'history, so this Discord server cannot join it.\n' +
        "To share this Discord server's account instead, run /billing link here and type that " +
        'code in the other place; that works when the other place holds no money or history ' +
        'of its own.',
    );
    expect((await findAccount(database.prisma, server))?.id).toBe(own?.id);
  });

  it('stops a workspace after five wrong codes for ten minutes, even for the right code', async () => {
    now = T0;
    const guesser = discordServer('900000000000000004');
    for (const guess of ['AAAA-AAAA', 'BBBB-BBBB', 'CCCC-CCCC', 'DDDD-DDDD', 'EEEE-EEEE']) {
      expect((await billing(guesser, `link ${guess}`)).text).toBe(INVALID_CODE_TEXT);
    }
    now = at(8);
    const code = codeIn((await billing(slackTeam('T0GUESSED'), 'link')).text);

    now = at(9);
    const blocked = await billing(guesser, `link ${code}`);
    const elsewhere = await billing(discordServer('900000000000000005'), 'link FFFF-FFFF');
    now = at(10);
    const afterWaiting = await billing(guesser, `link ${code}`);

    expect(blocked.text).toBe(
      'Too many codes that did not work were typed in this Discord server lately. Wait ' +
        '1 minute, then try again.',
    );
    expect(elsewhere.text).toBe(INVALID_CODE_TEXT);
    expect(afterWaiting.text).toMatch(/^This Discord server now shares one billing account/);
  });
});
