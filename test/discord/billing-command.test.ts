// `/billing` in Discord, end to end: our composed bot with an unmodified discord.js client,
// against the loopback Discord stand-in (REST and gateway) and, for payments, Stripe's.
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from '../support/discord-api.ts';
import { type RunningDiscordBot, startDiscordBot } from '../support/discord-bot.ts';
import { buttonInteraction, chatInputInteraction } from '../support/discord-interactions.ts';
import { DISCORD_CHANNELS, DISCORD_GUILD_ID, discordUsers } from '../support/discord-payloads.ts';
import { stripeEnv } from '../support/slack-bot.ts';
import { type FakeStripe, startFakeStripe } from '../support/stripe-api.ts';

describe('/billing in Discord', () => {
  let discord: FakeDiscord;
  let stripe: FakeStripe;
  let bot: RunningDiscordBot;
  beforeAll(async () => {
    discord = await startFakeDiscord({ heartbeatIntervalMs: 1_000 });
    stripe = await startFakeStripe();
    bot = await startDiscordBot(discord, stripeEnv(stripe.url));
  });
  afterAll(async () => {
    await bot?.close();
    await discord?.close();
    await stripe?.close();
  });
  beforeEach(() => {
    discord.reset();
    stripe.reset();
  });

  // Options typed as registered: amounts as text, channels as channels.
  const command = (text: string, origin: Parameters<typeof chatInputInteraction>[1] = {}) =>
    chatInputInteraction(text, { ...origin, definition: discord.commands()[0] });
  const workspaceCount = () => bot.database.prisma.workspace.count();

  it('registers /billing globally at start-up, with its subcommands', () => {
    const [billing] = discord.commands();

    expect(billing?.name).toBe('billing');
    expect(billing?.options?.map((option) => option.name)).toEqual(
      expect.arrayContaining(['balance', 'add', 'edit', 'alerts', 'link']),
    );
  });

  it('shows a member the balance, privately, after taking the 3-second window', async () => {
    const answer = await bot.interact(command('/billing balance', { user: discordUsers.member }));

    expect(answer.type).toBe(5);
    expect(answer.callback.body).toMatchObject({ data: { flags: MessageFlags.Ephemeral } });
    expect(answer.data.content).toContain('**Balance:** $0.00');
    expect(answer.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('says in a DM that the command works in a server, and creates nothing', async () => {
    const before = await workspaceCount();

    const answer = await bot.interact(
      command('/billing add amount:100', { user: discordUsers.admin, dm: true }),
    );

    expect(answer.type).toBe(4);
    expect(answer.data.content).toContain('/billing works in a server');
    expect(answer.data.flags).toBe(MessageFlags.Ephemeral);
    expect(await workspaceCount()).toBe(before);
    expect(stripe.requests).toHaveLength(0);
  });

  it('refuses a payment link to a member, naming who the billing admins are', async () => {
    const answer = await bot.interact(
      command('/billing add amount:100', { user: discordUsers.member }),
    );

    expect(answer.data.content).toContain('Only billing admins can');
    expect(answer.data.content).toContain('Administrator or Manage Server');
    expect(stripe.requests).toHaveLength(0);
  });

  it('gives a Manage Server member a Checkout link button even when Stripe is slow', async () => {
    stripe.delayMs.set('/v1/checkout/sessions', 3_500);

    const answer = await bot.interact(
      command('/billing add amount:100', { user: discordUsers.manager }),
    );

    // Deferred at once; the link came in the edit, after Stripe's 3.5 seconds.
    expect(answer.type).toBe(5);
    const edit = discord.callsTo((call) => call.method === 'PATCH').at(-1);
    expect((edit?.at ?? 0) - answer.callback.at).toBeGreaterThanOrEqual(3_000);
    expect(answer.data.components).toEqual([
      {
        type: 1,
        components: [
          expect.objectContaining({
            style: 5,
            label: 'Pay $100.00',
            url: expect.stringMatching(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_/),
          }),
        ],
      },
    ]);
    const quote = await bot.database.prisma.topUpQuote.findFirstOrThrow({
      where: { requesterId: discordUsers.manager.id },
    });
    expect(quote).toMatchObject({
      requesterPlatform: 'discord',
      workspaceId: DISCORD_GUILD_ID,
      channelId: DISCORD_CHANNELS.general,
      amountMinor: 10_000n,
    });
  });

  it('refuses an alert channel the bot may not post in, and posts alerts in one it may', async () => {
    const refused = await bot.interact(
      command(`/billing alerts channel channel:${DISCORD_CHANNELS.announcements}`),
    );
    expect(refused.data.content).toContain('The bot cannot post there');

    const accepted = await bot.interact(
      command(`/billing alerts channel channel:${DISCORD_CHANNELS.billingAlerts}`),
    );
    expect(accepted.data.content).toContain(`on, in channel ${DISCORD_CHANNELS.billingAlerts}`);
  });

  it('answers the alert buttons: Snooze for anyone who may, Add credits with an amount form', async () => {
    const snooze = await bot.interact(buttonInteraction('billing:snooze-alerts'));
    expect(snooze.data.content).toContain('Snoozed');

    const add = await bot.interact(buttonInteraction('billing:add-credits'));
    expect(add.type).toBe(9);
    expect(add.data.custom_id).toBe('billing:add-credits-amount');

    const denied = await bot.interact(
      buttonInteraction('billing:add-credits', { user: discordUsers.member }),
    );
    expect(denied.type).not.toBe(9);
    expect(denied.data.content).toContain('Only billing admins');
  });

  // Last: it ends the connection for good.
  it('is ready while the gateway is connected, and says so when it is not', async () => {
    const connected = await fetch(`${bot.baseUrl}/readyz`);
    expect(connected.status).toBe(200);

    // 4004 (authentication failed) is a close discord.js does not retry.
    discord.gateway.disconnect(4004);
    await expect
      .poll(async () => (await fetch(`${bot.baseUrl}/readyz`)).status, { timeout: 5_000 })
      .toBe(503);
    const body = await (await fetch(`${bot.baseUrl}/readyz`)).json();
    expect(body).toEqual({ status: 'not_ready', discord: 'disconnected' });
  });
});
