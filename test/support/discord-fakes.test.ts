import { once } from 'node:events';
import {
  ActionRowBuilder,
  type APIInteraction,
  ApplicationCommandOptionType,
  Client,
  DiscordAPIError,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  ModalBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from './discord-api.ts';
import {
  buttonInteraction,
  chatInputInteraction,
  modalSubmitInteraction,
} from './discord-interactions.ts';
import {
  DISCORD_APPLICATION_ID,
  DISCORD_CHANNELS,
  DISCORD_GUILD_ID,
  discordUsers,
} from './discord-payloads.ts';

const TOKEN = 'fake-bot-token';

describe('fake Discord with an unmodified discord.js client', () => {
  let fake: FakeDiscord;
  let client: Client;
  let loginMs: number;

  /** Dispatches an interaction and waits until the test's answer has run (or thrown). */
  async function deliver(
    payload: APIInteraction,
    handle: (interaction: Interaction) => Promise<void>,
  ) {
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no interactionCreate for ${payload.id}`)),
        5_000,
      );
      const listener = (interaction: Interaction) => {
        if (interaction.id !== payload.id) return;
        client.off('interactionCreate', listener);
        clearTimeout(timer);
        handle(interaction).then(resolve, reject);
      };
      client.on('interactionCreate', listener);
    });
    const dispatched = await fake.dispatchInteraction(payload);
    await done;
    return dispatched;
  }

  beforeAll(async () => {
    fake = await startFakeDiscord({ heartbeatIntervalMs: 200 });
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    const started = Date.now();
    const ready = once(client, 'clientReady');
    await client.login(TOKEN);
    await ready;
    loginMs = Date.now() - started;
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    // The client first: a client left connected keeps reconnecting to a closed port.
    await client?.destroy();
    await fake?.close();
  });

  it('logs in: gateway URL over REST, identify, then ready with the guild', async () => {
    expect(loginMs).toBeLessThan(3_000);
    expect(fake.gateway.identifies).toMatchObject([
      { token: TOKEN, intents: GatewayIntentBits.Guilds },
    ]);
    expect(client.user?.id).toBe(DISCORD_APPLICATION_ID);
    expect(client.application?.id).toBe(DISCORD_APPLICATION_ID);
    const guild = client.guilds.cache.get(DISCORD_GUILD_ID);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(DISCORD_CHANNELS.general)?.name).toBe('general');
    // Without the Guild Members intent only the bot's own member comes with GUILD_CREATE.
    expect([...(guild?.members.cache.keys() ?? [])]).toEqual([DISCORD_APPLICATION_ID]);
  });

  it('acknowledges heartbeats, which gives the client a ping', async () => {
    await expect.poll(() => client.ws.ping, { timeout: 2_000 }).toBeGreaterThanOrEqual(0);
    expect(fake.gateway.received.some((frame) => frame.op === 1)).toBe(true);
  });

  it('delivers a subcommand group with options from an Administrator', async () => {
    const payload = chatInputInteraction('/billing alerts threshold amount:50');
    let seen: Record<string, unknown> = {};
    const dispatched = await deliver(payload, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('not a chat-input command');
      seen = {
        group: interaction.options.getSubcommandGroup(),
        subcommand: interaction.options.getSubcommand(),
        amount: interaction.options.getInteger('amount'),
        admin: interaction.memberPermissions?.has('Administrator'),
        inGuild: interaction.inGuild(),
        text: interaction.toString(),
      };
      await interaction.reply({ content: 'Threshold set to 50.', flags: MessageFlags.Ephemeral });
    });

    expect(seen).toEqual({
      group: 'alerts',
      subcommand: 'threshold',
      amount: 50,
      admin: true,
      inGuild: true,
      text: '/billing alerts threshold amount:50',
    });
    const [callback] = fake.interactionCallbacks(payload.id);
    expect(callback).toMatchObject({
      status: 204,
      query: { with_response: 'false' },
      body: { type: 4, data: { content: 'Threshold set to 50.', flags: MessageFlags.Ephemeral } },
      authorization: null,
    });
    expect(callback?.order).toBeGreaterThan(dispatched.order);
    expect(callback?.at).toBeGreaterThanOrEqual(dispatched.at);
  });

  it('sends each member the permissions Discord computes for them', async () => {
    const verdicts: Array<[boolean | undefined, boolean | undefined]> = [];
    for (const user of [discordUsers.manager, discordUsers.member, discordUsers.owner]) {
      await deliver(chatInputInteraction('/billing', { user }), async (interaction) => {
        const permissions = interaction.memberPermissions;
        verdicts.push([permissions?.has('ManageGuild'), permissions?.has('Administrator')]);
        if (interaction.isRepliable()) await interaction.reply('ok');
      });
    }
    expect(verdicts).toEqual([
      [true, false],
      [false, false],
      [true, true],
    ]);
  });

  it('defers a reply (type 5), then edits @original through the webhook', async () => {
    const payload = chatInputInteraction('/billing balance');
    let editedContent = '';
    await deliver(payload, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      const edited = await interaction.editReply('Balance: 42.00 USD');
      editedContent = edited.content;
    });

    const edit = await fake.waitForCall(
      `PATCH /webhooks/${DISCORD_APPLICATION_ID}/${payload.token}/messages/@original`,
    );
    expect(fake.interactionCallbacks(payload.id)[0]?.body).toEqual({ type: 5, data: { flags: 0 } });
    expect(edit.body).toMatchObject({ content: 'Balance: 42.00 USD' });
    expect(editedContent).toBe('Balance: 42.00 USD');
  });

  it('follows up, fetches and deletes the original response through the webhook', async () => {
    const payload = chatInputInteraction('/billing add amount:100');
    const webhook = `/webhooks/${DISCORD_APPLICATION_ID}/${payload.token}`;
    let fetchedContent = '';
    await deliver(payload, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply('Opening a checkout link…');
      const followUp = await interaction.followUp({
        content: 'Pay here.',
        flags: MessageFlags.Ephemeral,
      });
      fetchedContent = (await interaction.fetchReply()).content;
      await interaction.deleteReply();
      await expect(interaction.webhook.fetchMessage(followUp.id)).resolves.toMatchObject({
        content: 'Pay here.',
      });
    });

    expect(fetchedContent).toBe('Opening a checkout link…');
    expect(fake.callsTo((call) => call.path.startsWith(webhook)).map((call) => call.route)).toEqual(
      [
        'POST /webhooks/:applicationId/:token',
        'GET /webhooks/:applicationId/:token/messages/:messageId',
        'DELETE /webhooks/:applicationId/:token/messages/:messageId',
        'GET /webhooks/:applicationId/:token/messages/:messageId',
      ],
    );
    expect(fake.callsTo(`POST ${webhook}`)[0]).toMatchObject({
      query: { wait: 'true' },
      body: { content: 'Pay here.', flags: MessageFlags.Ephemeral },
    });
  });

  it('delivers a DM invocation: no member nor guild, a user, and no cached channel', async () => {
    const payload = chatInputInteraction('/billing balance', {
      dm: true,
      user: discordUsers.stranger,
    });
    let seen: Record<string, unknown> = {};
    await deliver(payload, async (interaction) => {
      seen = {
        inGuild: interaction.inGuild(),
        guildId: interaction.guildId,
        member: interaction.member,
        userId: interaction.user.id,
        channelId: interaction.channelId,
        // discord.js caches DM channels only with Partials.Channel.
        channel: interaction.channel,
        context: interaction.context,
      };
      if (interaction.isRepliable()) await interaction.reply('Balances are per server.');
    });

    expect(seen).toEqual({
      inGuild: false,
      guildId: null,
      member: null,
      userId: discordUsers.stranger.id,
      channelId: payload.channel?.id,
      channel: null,
      context: 1,
    });
    expect(payload).toMatchObject({
      channel: { type: 1 },
      authorizing_integration_owners: { 0: '0' },
    });
    expect(fake.interactionCallbacks(payload.id)).toHaveLength(1);
  });

  it('shows a modal (type 9) with a callback response, then reads its submission', async () => {
    const payload = chatInputInteraction('/billing edit');
    let responseType: unknown;
    await deliver(payload, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const company = new TextInputBuilder()
        .setCustomId('company')
        .setLabel('Company')
        .setStyle(TextInputStyle.Short);
      const modal = new ModalBuilder()
        .setCustomId('billing-profile')
        .setTitle('Billing details')
        .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(company));
      const response = await interaction.showModal(modal, { withResponse: true });
      responseType = response?.resource?.type;
    });
    expect(responseType).toBe(9);
    expect(fake.interactionCallbacks(payload.id)[0]).toMatchObject({
      status: 200,
      body: { type: 9, data: { custom_id: 'billing-profile', title: 'Billing details' } },
    });

    const values: string[] = [];
    for (const layout of ['action-rows', 'labels'] as const) {
      const submit = modalSubmitInteraction(
        'billing-profile',
        { company: `Acme ${layout}` },
        { layout },
      );
      await deliver(submit, async (interaction) => {
        if (!interaction.isModalSubmit()) return;
        values.push(interaction.fields.getTextInputValue('company'));
        await interaction.reply({ content: 'Saved.', flags: MessageFlags.Ephemeral });
      });
    }
    expect(values).toEqual(['Acme action-rows', 'Acme labels']);
  });

  it('refuses a modal of six inputs with Invalid Form Body (50035)', async () => {
    const payload = chatInputInteraction('/billing edit');
    const row = (id: string) => ({
      type: 1,
      components: [{ type: 4, custom_id: id, label: id, style: 1 }],
    });
    const rows = ['a', 'b', 'c', 'd', 'e', 'f'].map(row);
    let refusal: unknown;
    await deliver(payload, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const modal = { custom_id: 'too-big', title: 'Too big', components: rows };
      refusal = await interaction.showModal(modal as never).catch((error: unknown) => error);
    });
    expect(refusal).toBeInstanceOf(DiscordAPIError);
    expect(refusal).toMatchObject({ status: 400, code: 50035 });
    expect(String((refusal as Error).message)).toContain('data.components');
  });

  it("updates a clicked button's message (type 7), then refuses a second answer", async () => {
    const payload = buttonInteraction('alerts:mute');
    let second: unknown;
    await deliver(payload, async (interaction) => {
      if (!interaction.isButton()) return;
      expect(interaction.message.id).toBe(payload.message.id);
      await interaction.update({ content: 'Alerts muted.', components: [] });
      const route = Routes.interactionCallback(interaction.id, interaction.token);
      const again = { body: { type: 4, data: { content: 'twice' } }, auth: false };
      second = await client.rest.post(route, again).catch((error: unknown) => error);
    });
    expect(fake.interactionCallbacks(payload.id).map((call) => call.body)).toMatchObject([
      { type: 7, data: { content: 'Alerts muted.', components: [] } },
      { type: 4, data: { content: 'twice' } },
    ]);
    expect(second).toMatchObject({ status: 400, code: 40060 });
  });

  it('types options as the registered command defines them, with resolved channels', async () => {
    const { Subcommand, Number: NumberOption, Channel } = ApplicationCommandOptionType;
    const billing: RESTPostAPIChatInputApplicationCommandsJSONBody = {
      name: 'billing',
      description: 'Workspace billing',
      options: [
        {
          type: Subcommand,
          name: 'alerts',
          description: 'Where warnings go',
          options: [
            { type: NumberOption, name: 'below', description: 'Threshold' },
            { type: Channel, name: 'channel', description: 'Channel' },
          ],
        },
      ],
    };
    await client.application?.commands.set([billing]);
    const definition = fake.commands()[0];
    const text = `/billing alerts below:12.5 channel:${DISCORD_CHANNELS.billingAlerts}`;

    let seen: unknown[] = [];
    await deliver(chatInputInteraction(text, { definition }), async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const channel = interaction.options.getChannel('channel');
      seen = [interaction.commandId, interaction.options.getNumber('below'), channel?.name];
      await interaction.reply('ok');
    });
    expect(seen).toEqual([definition?.id, 12.5, 'billing-alerts']);
  });

  it('lets a dropped client resume its session and replays what it missed', async () => {
    const before = fake.gateway.resumes.length;
    fake.gateway.disconnect();
    // Sent while the client is away: the gateway keeps it and replays it on resume.
    const payload = chatInputInteraction('/billing balance');
    await deliver(payload, async (interaction) => {
      if (interaction.isRepliable()) await interaction.reply('still here');
    });

    expect(fake.gateway.resumes.slice(before)).toMatchObject([{ resumed: true }]);
    expect(fake.interactionCallbacks(payload.id)).toHaveLength(1);
  });
});
