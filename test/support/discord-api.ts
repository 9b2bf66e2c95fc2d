// A loopback stand-in for Discord that an unmodified discord.js client runs against: one HTTP
// server on 127.0.0.1 serves the REST API under /api/v10 (discord-rest.ts; the client option
// `rest: { api: fake.apiUrl }`, fed from DISCORD_API_URL) and upgrades /gateway to the WebSocket
// gateway (discord-gateway.ts). Tests dispatch interactions through the gateway and read what the
// client sent back over REST.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIApplicationCommand,
  APIInteraction,
  APIUser,
  GatewayGuildCreateDispatchData,
} from 'discord.js';
import { type FakeGateway, startFakeGateway } from './discord-gateway.ts';
import { DISCORD_APPLICATION_ID, discordGuild, discordUsers } from './discord-payloads.ts';
import { type RecordedDiscordCall, type RestRecorder, serveRest } from './discord-rest.ts';
import type { DiscordState } from './discord-rest-routes.ts';

export type { CallPattern, RecordedDiscordCall } from './discord-rest.ts';

export interface DispatchedInteraction {
  interaction: APIInteraction;
  /** The gateway sequence number (`s`) it went out with. */
  sequence: number;
  /** Taken just before sending, so that a callback always comes later. */
  at: number;
  order: number;
}

export interface FakeDiscordOptions {
  /** The only bot token accepted (REST and identify); by default any non-empty one. */
  token?: string;
  /** The guilds the bot is in; default `[discordGuild()]`. */
  guilds?: GatewayGuildCreateDispatchData[];
  /** Channel id → the JSON error code (50001, 50013, 50007) a message posted there gets. */
  forbiddenChannels?: Record<string, number>;
  /** Default 41250 ms, as Discord sends; the client's first beat waits a random part of it. */
  heartbeatIntervalMs?: number;
  /** The privileged intents enabled for the app; identifying with others closes with 4014. */
  privilegedIntents?: number;
}

export interface FakeDiscord extends Omit<RestRecorder, 'stop'> {
  /** For the client option `rest: { api }` (DISCORD_API_URL): `http://127.0.0.1:<port>/api`. */
  apiUrl: string;
  gatewayUrl: string;
  applicationId: string;
  botUser: APIUser;
  guilds: GatewayGuildCreateDispatchData[];
  gateway: FakeGateway;
  dispatches: DispatchedInteraction[];
  /** The callback requests made for one interaction, in order. */
  interactionCallbacks(interactionId: string): RecordedDiscordCall[];
  /**
   * Sends INTERACTION_CREATE to the identified client (rejects before one has); from then on its
   * id and token take one callback, and its token opens the webhook for the responses.
   */
  dispatchInteraction(interaction: APIInteraction): Promise<DispatchedInteraction>;
  /** Sends any other dispatch (`GUILD_MEMBER_UPDATE`, …) on the current session. */
  dispatch(event: string, data: unknown): Promise<{ sequence: number; at: number }>;
  /** What the last bulk overwrite registered: global commands, or one guild's. */
  commands(guildId?: string): APIApplicationCommand[];
  forbidChannel(channelId: string, code: number): void;
  /**
   * Forgets calls, dispatches, failures, delays and channels forbidden since the start; guilds,
   * gateway sessions and registered commands stay.
   */
  reset(): void;
  /**
   * Destroy the discord.js client first. A client still connected is closed with 4004, which
   * discord.js does not retry: otherwise it would retry the closed port for ever.
   */
  close(): Promise<void>;
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const dispatches: DispatchedInteraction[] = [];
  let lastOrder = 0;
  const nextOrder = () => ++lastOrder;
  const acceptsToken = (token: string) =>
    options.token === undefined ? token.length > 0 : token === options.token;

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const gatewayUrl = `ws://127.0.0.1:${port}/gateway`;

  const guilds = options.guilds ?? [discordGuild()];
  const state: DiscordState = {
    applicationId: DISCORD_APPLICATION_ID,
    botUser: discordUsers.bot,
    guilds,
    gatewayUrl,
    acceptsToken,
    interactions: new Map(),
    globalCommands: [],
    guildCommands: new Map(),
    dmChannels: new Map(),
    forbiddenChannels: new Map(Object.entries(options.forbiddenChannels ?? {})),
  };
  const { stop: stopRest, reset: resetRest, ...rest } = serveRest(server, state, nextOrder);
  const gateway = startFakeGateway({
    server,
    path: '/gateway',
    url: gatewayUrl,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    acceptsToken,
    privilegedIntents: options.privilegedIntents ?? 0,
    botUser: state.botUser,
    applicationId: state.applicationId,
    guilds,
  });

  return {
    ...rest,
    apiUrl: `http://127.0.0.1:${port}/api`,
    gatewayUrl,
    applicationId: state.applicationId,
    botUser: state.botUser,
    guilds,
    gateway,
    dispatches,
    interactionCallbacks: (interactionId) =>
      rest
        .callsTo('POST /interactions/:interactionId/:token/callback')
        .filter((call) => call.params.interactionId === interactionId),
    async dispatchInteraction(interaction) {
      state.interactions.set(interaction.id, {
        interaction,
        acknowledgedWith: null,
        messages: new Map(),
      });
      // Numbered before sending: the client may answer before the send completes.
      const order = nextOrder();
      const at = Date.now();
      const { sequence } = await gateway.dispatch('INTERACTION_CREATE', interaction);
      const dispatched = { interaction, sequence, at, order };
      dispatches.push(dispatched);
      return dispatched;
    },
    dispatch: (event, data) => gateway.dispatch(event, data),
    commands: (guildId) =>
      guildId === undefined ? state.globalCommands : (state.guildCommands.get(guildId) ?? []),
    forbidChannel(channelId, code) {
      state.forbiddenChannels.set(channelId, code);
    },
    reset() {
      resetRest();
      dispatches.length = 0;
      state.forbiddenChannels = new Map(Object.entries(options.forbiddenChannels ?? {}));
    },
    async close() {
      stopRest();
      await gateway.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
