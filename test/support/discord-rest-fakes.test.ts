import { once } from 'node:events';
import {
  ApplicationCommandOptionType,
  Client,
  DiscordAPIError,
  GatewayIntentBits,
  HTTPError,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from './discord-api.ts';
import {
  DISCORD_APPLICATION_ID,
  DISCORD_CHANNELS,
  DISCORD_GUILD_ID,
  discordUsers,
} from './discord-payloads.ts';

async function readyClient(fake: FakeDiscord, intents: number[], token = 'fake-bot-token') {
  const client = new Client({ intents, rest: { api: fake.apiUrl } });
  const ready = once(client, 'clientReady');
  await client.login(token);
  await ready;
  return client;
}

describe('fake Discord REST API with an unmodified discord.js client', () => {
  let fake: FakeDiscord;
  let client: Client;
  const channel = (id: string) => client.channels.cache.get(id) as TextChannel;

  beforeAll(async () => {
    fake = await startFakeDiscord();
    client = await readyClient(fake, [GatewayIntentBits.Guilds]);
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    // The client first: a client left connected keeps reconnecting to a closed port.
    await client?.destroy();
    await fake?.close();
  });

  it('posts where the bot may, and answers 403 where its role or a test forbids it', async () => {
    const sent = await channel(DISCORD_CHANNELS.general).send('Balance is low.');
    expect(sent).toMatchObject({ content: 'Balance is low.', channelId: DISCORD_CHANNELS.general });
    expect(sent.id).toMatch(/^\d{17,20}$/);
    expect(fake.callsTo('POST /channels/:channelId/messages')[0]).toMatchObject({
      authorization: 'Bot fake-bot-token',
      body: { content: 'Balance is low.' },
      status: 200,
    });

    const denied = await channel(DISCORD_CHANNELS.announcements)
      .send('x')
      .catch((error) => error);
    expect(denied).toBeInstanceOf(DiscordAPIError);
    expect(denied).toMatchObject({
      status: 403,
      code: 50013,
      rawError: { message: 'Missing Permissions' },
    });
    const hidden = await channel(DISCORD_CHANNELS.staff)
      .send('x')
      .catch((error) => error);
    expect(hidden).toMatchObject({
      status: 403,
      code: 50001,
      rawError: { message: 'Missing Access' },
    });

    fake.forbidChannel(DISCORD_CHANNELS.billingAlerts, 50013);
    const scripted = await channel(DISCORD_CHANNELS.billingAlerts)
      .send('x')
      .catch((error) => error);
    expect(scripted).toMatchObject({ status: 403, code: 50013 });
  });

  it('refuses an empty message and content over 2000 characters', async () => {
    const empty = await client.rest
      .post(Routes.channelMessages(DISCORD_CHANNELS.general), { body: {} })
      .catch((error) => error);
    expect(empty).toMatchObject({ status: 400, code: 50006 });
    const long = await channel(DISCORD_CHANNELS.general)
      .send('x'.repeat(2001))
      .catch((error) => error);
    expect(long).toMatchObject({ status: 400, code: 50035 });
    expect(String(long.message)).toContain('content[BASE_TYPE_MAX_LENGTH]');
  });

  it('answers the reads a bot makes: channel, guild, member, DM channel, itself', async () => {
    const general = await client.channels.fetch(DISCORD_CHANNELS.general, { force: true });
    expect(general).toMatchObject({ id: DISCORD_CHANNELS.general, name: 'general' });
    const guild = await client.guilds.fetch({ guild: DISCORD_GUILD_ID, force: true });
    expect(guild.ownerId).toBe(discordUsers.owner.id);
    const member = await guild.members.fetch({ user: discordUsers.manager.id, force: true });
    expect(member.permissions.has('ManageGuild')).toBe(true);

    const dm = await client.users.createDM(discordUsers.member.id);
    await dm.send('Your top-up landed.');
    const application = await client.application?.fetch();
    expect(application?.id).toBe(DISCORD_APPLICATION_ID);
    await expect(client.rest.get(Routes.user())).resolves.toMatchObject({ bot: true });

    expect(fake.calls.map((call) => `${call.route} ${call.status}`)).toEqual([
      'GET /channels/:channelId 200',
      'GET /guilds/:guildId 200',
      'GET /guilds/:guildId/members/:userId 200',
      'POST /users/@me/channels 200',
      'POST /channels/:channelId/messages 200',
      'GET /applications/@me 200',
      'GET /users/@me 200',
    ]);
  });

  it('keeps ids on an identical bulk overwrite and refuses invalid names (50035)', async () => {
    const billing: RESTPostAPIChatInputApplicationCommandsJSONBody = {
      name: 'billing',
      description: 'Workspace billing',
      options: [
        { type: ApplicationCommandOptionType.Subcommand, name: 'balance', description: 'Show' },
      ],
    };
    const first = await client.application?.commands.set([billing]);
    const second = await client.application?.commands.set([billing]);
    expect([...(second?.keys() ?? [])]).toEqual([...(first?.keys() ?? [])]);
    expect(second?.first()?.version).toBe(first?.first()?.version);
    await client.application?.commands.set([billing], DISCORD_GUILD_ID);
    expect(fake.commands(DISCORD_GUILD_ID)).toMatchObject([
      { name: 'billing', guild_id: DISCORD_GUILD_ID },
    ]);

    const invalid = await client.application?.commands
      .set([{ ...billing, name: 'Billing Now' }])
      .catch((error) => error);
    expect(invalid).toMatchObject({ status: 400, code: 50035 });
    expect(String(invalid.message)).toContain('APPLICATION_COMMAND_INVALID_NAME');
    const elsewhere = await client.application?.commands
      .set([billing], '1201000000000009999')
      .catch((e) => e);
    expect(elsewhere).toMatchObject({ status: 403, code: 50001 });
  });

  it('records unknown routes as 404, and scripted failures that discord.js retries', async () => {
    const unknown = await client.rest.get('/nothing/here').catch((error) => error);
    expect(unknown).toMatchObject({
      status: 404,
      code: 0,
      rawError: { message: '404: Not Found' },
    });
    expect(fake.callsTo((call) => call.route === 'unknown')[0]?.path).toBe('/nothing/here');

    const posts = 'POST /channels/:channelId/messages';
    fake.failNext(posts, 500, undefined, { times: 2 });
    await channel(DISCORD_CHANNELS.billingAlerts).send('Low balance.');
    expect(fake.callsTo(posts).map((call) => call.status)).toEqual([500, 500, 200]);

    fake.reset();
    fake.failNext(posts, 503, undefined, { times: 4 });
    const failed = await channel(DISCORD_CHANNELS.billingAlerts)
      .send('x')
      .catch((error) => error);
    expect(failed).toBeInstanceOf(HTTPError);
    expect(fake.callsTo(posts)).toHaveLength(4);
  });

  it('holds a delayed route back for the given time', async () => {
    fake.delay('GET /users/@me', 150);
    const started = Date.now();
    await client.rest.get(Routes.user());
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('fake Discord gateway refusing a login', () => {
  let fake: FakeDiscord;

  beforeAll(async () => {
    fake = await startFakeDiscord({ token: 'the-right-token' });
  });
  afterAll(() => fake.close());

  it('refuses another token over REST, which discord.js reports as TokenInvalid', async () => {
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    await expect(client.login('a-wrong-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
    await client.destroy();
  });

  it('closes with 4014 on a privileged intent the app has not enabled', async () => {
    const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers];
    const client = new Client({ intents, rest: { api: fake.apiUrl } });
    await expect(client.login('the-right-token')).rejects.toThrow('Used disallowed intents');
    await client.destroy();
    await expect.poll(() => fake.gateway.closes.map((close) => close.code)).toContain(4014);
  });

  it('sends every member in GUILD_CREATE once the Guild Members intent is enabled', async () => {
    const enabled = await startFakeDiscord({ privilegedIntents: GatewayIntentBits.GuildMembers });
    const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers];
    const client = await readyClient(enabled, intents);
    expect(client.guilds.cache.get(DISCORD_GUILD_ID)?.members.cache.size).toBe(5);
    await client.destroy();
    await enabled.close();
  });
});
