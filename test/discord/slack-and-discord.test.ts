// One bot serving Slack and Discord at once, with Stripe: a Discord server joins a Slack team's
// billing account with /billing link, pays through Stripe and hears of it in its channel, and
// gets a low-balance alert from the scheduled scan. Every remote service is a loopback stand-in.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findAccount } from '../../src/billing/accounts.ts';
import { applyLedgerChange } from '../../src/billing/ledger.ts';
import { type FakeDiscord, startFakeDiscord } from '../support/discord-api.ts';
import { DISCORD_TOKEN, discordAnswer } from '../support/discord-bot.ts';
import { chatInputInteraction } from '../support/discord-interactions.ts';
import {
  DISCORD_APPLICATION_ID,
  DISCORD_CHANNELS,
  DISCORD_GUILD_ID,
} from '../support/discord-payloads.ts';
import { stripeEvent } from '../support/stripe-events.ts';
import {
  billingCommand,
  PAID_WITH_TAX,
  type StripeFlow,
  startStripeFlow,
} from '../support/stripe-flow.ts';

const SLACK_TEAM = 'T0LINKED';

describe('a Discord server beside a Slack team', () => {
  let discord: FakeDiscord;
  let flow: StripeFlow;
  beforeAll(async () => {
    discord = await startFakeDiscord({ heartbeatIntervalMs: 1_000 });
    flow = await startStripeFlow({
      env: {
        DISCORD_TOKEN,
        DISCORD_APPLICATION_ID,
        DISCORD_API_URL: discord.apiUrl,
        ALERT_CRON: '* * * * * *',
      },
    });
  });
  afterAll(async () => {
    await flow?.close();
    await discord?.close();
  });
  beforeEach(() => discord.reset());

  const prisma = () => flow.bot.database.prisma;
  const command = (text: string) =>
    discordAnswer(discord, chatInputInteraction(text, { definition: discord.commands()[0] }));

  it('joins the Slack team’s account with a one-time code, and pays into it', async () => {
    const offer = await billingCommand(flow, {
      text: 'link',
      user_id: 'U0ADMIN',
      team_id: SLACK_TEAM,
    });
    const code = /([2-9A-Z]{4}-[2-9A-Z]{4})/.exec(offer.text)?.[1] ?? '';
    const slackAccount = await findAccount(prisma(), { platform: 'slack', externalId: SLACK_TEAM });
    await applyLedgerChange(prisma(), {
      accountId: slackAccount?.id ?? '',
      kind: 'adjustment',
      amountMinor: 4_200n,
      description: 'opening balance',
      actor: { platform: 'operator', userId: 'ops', userName: null },
      place: null,
      idempotencyKey: 'discord-test-opening',
    });

    const joined = await command(`/billing link code:${code}`);
    expect(joined.data.content).toContain('now shares one billing account');
    const discordAccount = await findAccount(prisma(), {
      platform: 'discord',
      externalId: DISCORD_GUILD_ID,
    });
    expect(discordAccount?.id).toBe(slackAccount?.id);
    expect((await command('/billing balance')).data.content).toContain('**Balance:** $42.00');

    // Used once: the same code again is refused.
    const again = await command(`/billing link code:${code}`);
    expect(again.data.content).toMatch(/already shares|not valid/);

    const asked = await command('/billing add amount:100');
    expect(asked.type).toBe(5);
    const quote = await prisma().topUpQuote.findFirstOrThrow({
      where: { requesterPlatform: 'discord' },
    });
    const paid = flow.stripe.setSessionPaid(quote.stripeSessionId ?? '', PAID_WITH_TAX);
    const delivered = await flow.postEvent(stripeEvent('checkout.session.completed', paid));
    expect(delivered.status).toBe(200);

    // The interaction is long gone: the confirmation is a new message in the channel.
    const posted = await discord.waitForCall(`POST /channels/${DISCORD_CHANNELS.general}/messages`);
    expect(JSON.stringify(posted.body)).toContain('added $100.00 in credits');
    expect(posted.body).toMatchObject({ allowed_mentions: { parse: [] } });
    const account = await prisma().account.findUniqueOrThrow({ where: { id: quote.accountId } });
    expect(account.balanceMinor).toBe(14_200n);
  });

  it('posts one low-balance alert, with its buttons, in the Discord channel chosen', async () => {
    const turnedOn = await command(
      `/billing alerts channel channel:${DISCORD_CHANNELS.billingAlerts}`,
    );
    expect(turnedOn.data.content).toContain('on, in channel');
    await command('/billing alerts threshold amount:500');

    const alert = await discord.waitForCall(
      `POST /channels/${DISCORD_CHANNELS.billingAlerts}/messages`,
      10_000,
    );
    const text = JSON.stringify(alert.body);
    expect(text).toContain('billing:add-credits');
    expect(text).toContain('billing:snooze-alerts');

    // The next ticks find nothing new to say.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const alerts = discord.callsTo(`POST /channels/${DISCORD_CHANNELS.billingAlerts}/messages`);
    expect(alerts).toHaveLength(1);
  });
});
