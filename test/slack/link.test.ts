import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findAccount } from '../../src/billing/accounts.ts';
import { applyLedgerChange } from '../../src/billing/ledger.ts';
import { runBillingCommand } from '../../src/commands/billing-command.ts';
import { CONSOLE_WORKSPACE } from '../../src/console/console-adapter.ts';
import { type FakeSlack, slackUsers, startFakeSlack } from '../support/slack-api.ts';
import { type RunningSlackBot, startSlackBot } from '../support/slack-bot.ts';
import { slashCommand } from '../support/slack-requests.ts';

interface EphemeralReply {
  response_type: string;
  text: string;
  blocks?: unknown[];
}

// Two Slack workspaces and the console share one account through /billing link, with the bot
// composed for real: Bolt's receiver, signed requests, the Web API stand-in for users.info.
describe('/billing link in Slack', () => {
  let fake: FakeSlack;
  let bot: RunningSlackBot;
  beforeAll(async () => {
    fake = await startFakeSlack();
    fake.users.set('U0ADMIN', slackUsers.admin());
    fake.users.set('U0MEMBER', slackUsers.member());
    fake.users.set('U0ADMIN2', slackUsers.admin('U0ADMIN2', 'T0SECOND'));
    bot = await startSlackBot(fake);
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  async function command(text: string, userId: string, teamId = 'T0TESTTEAM') {
    const responseUrl = fake.responseUrl();
    const id = new URL(responseUrl).pathname.split('/').pop();
    const response = await bot.send(
      slashCommand({
        text,
        user_id: userId,
        team_id: teamId,
        team_domain: teamId.toLowerCase(),
        response_url: responseUrl,
      }),
    );
    expect(response.status).toBe(200);
    const [call] = await fake.waitFor(`response_url:${id}`);
    return call?.body as unknown as EphemeralReply;
  }
  const codeIn = (reply: EphemeralReply) => /Link code ([2-9A-Z]{4}-[2-9A-Z]{4})/.exec(reply.text);

  it('gives a Slack admin a code, ephemerally, that an admin of another team redeems', async () => {
    const offer = await command('link', 'U0ADMIN');
    const code = codeIn(offer)?.[1] ?? '';
    const account = await findAccount(bot.database.prisma, {
      platform: 'slack',
      externalId: 'T0TESTTEAM',
    });
    await applyLedgerChange(bot.database.prisma, {
      accountId: account?.id ?? '',
      kind: 'adjustment',
      amountMinor: 7_500n,
      description: 'opening credit',
      actor: { platform: 'operator', userId: 'ops', userName: null },
      place: null,
      idempotencyKey: 'test:slack-link:credit',
    });

    const joined = await command(`link ${code.toLowerCase()}`, 'U0ADMIN2', 'T0SECOND');
    const balance = await command('balance', 'U0ADMIN2', 'T0SECOND');

    expect(offer.response_type).toBe('ephemeral');
    expect(code).not.toBe('');
    expect(JSON.stringify(offer.blocks)).toContain(`Run /billing link ${code} in the Slack`);
    expect(joined.response_type).toBe('ephemeral');
    expect(joined.text).toBe(
      'This Slack workspace now shares one billing account with the Slack workspace ' +
        't0testteam. Balance: $75.00.',
    );
    expect(balance.text).toBe('Balance: $75.00');
  });

  it('lets the console join with a code made in Slack, and refuses a Slack member', async () => {
    const offer = await command('link', 'U0ADMIN', 'T0THIRD');
    const code = codeIn(offer)?.[1] ?? '';
    const denied = await command('link', 'U0MEMBER', 'T0THIRD');

    const joined = await runBillingCommand(bot.bot.billing, {
      workspace: CONSOLE_WORKSPACE,
      actor: { platform: 'console', userId: 'local', userName: 'Operator' },
      roles: { isPlatformAdmin: true, isGuest: false },
      channelId: null,
      text: `/billing link ${code}`,
      adminsDescription: 'In the console, the user is a billing admin.',
    });

    expect(denied.text).toBe(
      'Only billing admins can link other workspaces to this billing account.',
    );
    expect(joined.type === 'reply' && joined.reply.text).toBe(
      'This console now shares one billing account with the Slack workspace t0third. ' +
        'Balance: $0.00.',
    );
    const slackAccount = await findAccount(bot.database.prisma, {
      platform: 'slack',
      externalId: 'T0THIRD',
    });
    expect((await findAccount(bot.database.prisma, CONSOLE_WORKSPACE))?.id).toBe(slackAccount?.id);
  });
});
