// Discord's side of the REST endpoints (API v10) a bot uses besides interaction responses (in
// discord-interaction-routes.ts): the gateway's address, command registration, channel messages,
// and reads of channels, guilds, members and the bot itself. Answers and errors follow Discord's
// documented shapes; discord-rest.ts routes and records the requests.
import {
  type APIApplication,
  type APIApplicationCommand,
  type APIDMChannel,
  type APIInteraction,
  type APIMessage,
  type APIUser,
  type ApplicationFlags,
  type GatewayGuildCreateDispatchData,
  type InteractionResponseType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
} from 'discord.js';
import { type FormErrors, overwriteCommands } from './discord-commands.ts';
import { discordMessage, newSnowflake, type SentMessage } from './discord-interactions.ts';
import { dmChannel, memberPermissions } from './discord-payloads.ts';

export interface DiscordAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface InteractionRecord {
  interaction: APIInteraction;
  /** The first callback type Discord accepted; null until the interaction is acknowledged. */
  acknowledgedWith: InteractionResponseType | null;
  /** The interaction's messages by id, its original response as `@original`. */
  messages: Map<string, APIMessage>;
}

export interface DiscordState {
  applicationId: string;
  botUser: APIUser;
  guilds: GatewayGuildCreateDispatchData[];
  gatewayUrl: string;
  acceptsToken: (token: string) => boolean;
  interactions: Map<string, InteractionRecord>;
  globalCommands: APIApplicationCommand[];
  guildCommands: Map<string, APIApplicationCommand[]>;
  dmChannels: Map<string, APIDMChannel>;
  /** Channel id → the JSON error code a message posted there gets. */
  forbiddenChannels: Map<string, number>;
}

export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  authorization: string | null;
}

export type Params = Record<string, string>;
export type Answerer = (state: DiscordState, request: RestRequest, params: Params) => DiscordAnswer;

const ERROR_MESSAGES: Partial<Record<RESTJSONErrorCodes, string>> = {
  [RESTJSONErrorCodes.UnknownChannel]: 'Unknown Channel',
  [RESTJSONErrorCodes.UnknownGuild]: 'Unknown Guild',
  [RESTJSONErrorCodes.UnknownMember]: 'Unknown Member',
  [RESTJSONErrorCodes.UnknownMessage]: 'Unknown Message',
  [RESTJSONErrorCodes.UnknownUser]: 'Unknown User',
  [RESTJSONErrorCodes.UnknownWebhook]: 'Unknown Webhook',
  [RESTJSONErrorCodes.UnknownInteraction]: 'Unknown interaction',
  [RESTJSONErrorCodes.NotAuthorizedToPerformThisActionOnThisApplication]:
    'You are not authorized to perform this action on this application',
  [RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged]:
    'Interaction has already been acknowledged.',
  [RESTJSONErrorCodes.MissingAccess]: 'Missing Access',
  [RESTJSONErrorCodes.CannotSendAnEmptyMessage]: 'Cannot send an empty message',
  [RESTJSONErrorCodes.CannotSendMessagesToThisUser]: 'Cannot send messages to this user',
  [RESTJSONErrorCodes.MissingPermissions]: 'Missing Permissions',
  [RESTJSONErrorCodes.InvalidFormBodyOrContentType]: 'Invalid Form Body',
};

/** Discord's JSON error: `{ message, code }`, and `errors` for an invalid form body. */
export function discordError(status: number, code: number, errors?: FormErrors): DiscordAnswer {
  const message = ERROR_MESSAGES[code as RESTJSONErrorCodes] ?? `${status}: Error`;
  return { status, body: { message, code, ...(errors ? { errors } : {}) } };
}

/** What Discord says with a status a test scripts, unless the test gives the body. */
export function scriptedFailure({ status, body, headers = {} }: DiscordAnswer): DiscordAnswer {
  if (body !== undefined) return { status, body, headers };
  if (status === 429) {
    const limited = { message: 'You are being rate limited.', retry_after: 0.05, global: false };
    return { status, body: limited, headers: { 'retry-after': '0.05', ...headers } };
  }
  const reason = status >= 500 ? 'Internal Server Error' : 'Scripted failure';
  return { status, body: { message: `${status}: ${reason}`, code: 0 }, headers };
}

export const ok = (body: unknown): DiscordAnswer => ({ status: 200, body });
export const noContent: DiscordAnswer = { status: 204 };
export const formError = (errors: FormErrors) =>
  discordError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, errors);
export const fieldError = (code: string, message: string) => ({ _errors: [{ code, message }] });
export const asRecord = (value: unknown) =>
  (value !== null && typeof value === 'object' ? value : {}) as Record<string, unknown>;

/**
 * What Discord refuses in a message body: content over 2000 characters, and (when creating) a
 * message with nothing in it. `at` nests the error where it sits in the request (`data`).
 */
export function messageProblem(sent: SentMessage, creating: boolean, at?: string) {
  if (typeof sent.content === 'string' && sent.content.length > 2000) {
    const tooLong = fieldError('BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
    return formError(at ? { [at]: { content: tooLong } } : { content: tooLong });
  }
  const empty = !sent.content && !sent.embeds?.length && !sent.components?.length;
  return creating && empty ? discordError(400, RESTJSONErrorCodes.CannotSendAnEmptyMessage) : null;
}

/** Where a channel lives: a guild's channel (with the bot's permissions there) or a DM. */
function locateChannel(state: DiscordState, channelId: string) {
  for (const guild of state.guilds) {
    const channel = guild.channels.find((candidate) => candidate.id === channelId);
    if (!channel) continue;
    const botPermissions = memberPermissions(guild, state.botUser.id, channelId) ?? 0n;
    return { channel, botPermissions };
  }
  const dm = state.dmChannels.get(channelId);
  return dm ? { channel: dm, botPermissions: null } : undefined;
}

/**
 * Why the bot may not read (or post in) a channel, as Discord answers it: a hidden channel is
 * Missing Access, one it may read but not post in is Missing Permissions. Null when allowed.
 */
function channelRefusal(state: DiscordState, channelId: string, posting: boolean) {
  const scripted = state.forbiddenChannels.get(channelId);
  if (scripted !== undefined && (posting || scripted === RESTJSONErrorCodes.MissingAccess)) {
    return discordError(403, scripted);
  }
  const where = locateChannel(state, channelId);
  if (!where) return discordError(404, RESTJSONErrorCodes.UnknownChannel);
  if (where.botPermissions === null) return null;
  if (!(where.botPermissions & PermissionFlagsBits.ViewChannel)) {
    return discordError(403, RESTJSONErrorCodes.MissingAccess);
  }
  const maySend = where.botPermissions & PermissionFlagsBits.SendMessages;
  return posting && !maySend ? discordError(403, RESTJSONErrorCodes.MissingPermissions) : null;
}

export const createMessage: Answerer = (state, request, { channelId = '' }) => {
  const sent = asRecord(request.body) as SentMessage;
  return (
    channelRefusal(state, channelId, true) ??
    messageProblem(sent, true) ??
    ok(discordMessage(channelId, sent))
  );
};

export const getChannel: Answerer = (state, _request, { channelId = '' }) =>
  channelRefusal(state, channelId, false) ?? ok(locateChannel(state, channelId)?.channel);

/** PUT (bulk overwrite) and GET of the global or one guild's commands. */
export function commandsRoute(scope: 'global' | 'guild'): Answerer {
  return (state, request, { applicationId, guildId = '' }) => {
    if (applicationId !== state.applicationId) {
      return discordError(
        403,
        RESTJSONErrorCodes.NotAuthorizedToPerformThisActionOnThisApplication,
      );
    }
    // A guild the app was not added to (with the applications.commands scope) is Missing Access.
    if (scope === 'guild' && !state.guilds.some((guild) => guild.id === guildId)) {
      return discordError(403, RESTJSONErrorCodes.MissingAccess);
    }
    const registered =
      scope === 'global' ? state.globalCommands : (state.guildCommands.get(guildId) ?? []);
    if (request.method === 'GET') return ok(registered);

    const result = overwriteCommands(registered, request.body, {
      applicationId: state.applicationId,
      guildId: scope === 'guild' ? guildId : undefined,
      newId: () => newSnowflake(),
    });
    if ('errors' in result) return formError(result.errors);
    if (scope === 'global') state.globalCommands = result.commands;
    else state.guildCommands.set(guildId, result.commands);
    return ok(result.commands);
  };
}

// Gateway-only fields of GUILD_CREATE that GET /guilds/{id} does not carry.
const GATEWAY_GUILD_FIELDS = new Set([
  'joined_at',
  'large',
  'unavailable',
  'member_count',
  'voice_states',
  'members',
  'channels',
  'threads',
  'presences',
  'stage_instances',
  'guild_scheduled_events',
  'soundboard_sounds',
]);

export const getGuild: Answerer = (state, _request, { guildId }) => {
  const guild = state.guilds.find((candidate) => candidate.id === guildId);
  if (!guild) return discordError(404, RESTJSONErrorCodes.UnknownGuild);
  return ok(
    Object.fromEntries(Object.entries(guild).filter(([key]) => !GATEWAY_GUILD_FIELDS.has(key))),
  );
};

export const getMember: Answerer = (state, _request, { guildId, userId }) => {
  const guild = state.guilds.find((candidate) => candidate.id === guildId);
  if (!guild) return discordError(404, RESTJSONErrorCodes.UnknownGuild);
  const member = guild.members.find((candidate) => candidate.user.id === userId);
  return member ? ok(member) : discordError(404, RESTJSONErrorCodes.UnknownMember);
};

/** POST /users/@me/channels: the DM channel with a member of a guild or a user who wrote in. */
export const openDm: Answerer = (state, request) => {
  const recipientId = String(asRecord(request.body).recipient_id ?? '');
  const members = state.guilds.flatMap((guild) => guild.members.map((member) => member.user));
  const dmUsers = [...state.interactions.values()].flatMap(({ interaction }) =>
    interaction.user ? [interaction.user] : [],
  );
  const recipient = [...members, ...dmUsers].find((user) => user.id === recipientId);
  if (!recipient) return discordError(404, RESTJSONErrorCodes.UnknownUser);
  const channel = dmChannel(recipient);
  state.dmChannels.set(channel.id, channel);
  return ok(channel);
};

export const getApplication: Answerer = (state) => {
  const application: APIApplication = {
    id: state.applicationId,
    name: 'Billing Bot',
    icon: null,
    description: 'Workspace billing from chat.',
    summary: '',
    bot_public: false,
    bot_require_code_grant: false,
    bot: state.botUser,
    verify_key: '0'.repeat(64),
    team: null,
    flags: 0 as ApplicationFlags,
    flags_new: '0',
  };
  return ok(application);
};

/** GET /gateway and /gateway/bot: where to connect; one shard, the session starts left today. */
export const getGateway: Answerer = (state, request) => {
  if (!request.path.endsWith('/bot')) return ok({ url: state.gatewayUrl });
  return ok({
    url: state.gatewayUrl,
    shards: 1,
    session_start_limit: {
      total: 1000,
      remaining: 999,
      reset_after: 14_400_000,
      max_concurrency: 1,
    },
  });
};
