// Interactions as the gateway's INTERACTION_CREATE carries them, and messages as Discord answers
// them (Discord API v10, the types of discord-api-types): a /billing chat-input command, a button
// click and a modal submit, each invoked by a guild member (with `member.permissions` computed as
// Discord does) or in the bot's DM (a `user`, no `member`, no `guild_id`).
import { randomBytes } from 'node:crypto';
import {
  type APIBaseInteraction,
  type APIButtonComponentWithCustomId,
  type APIChatInputApplicationCommandInteraction,
  type APIEmbed,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APIMessageTopLevelComponent,
  type APIModalSubmissionComponent,
  type APIModalSubmitInteraction,
  type APIUser,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ButtonStyle,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  type MessageFlags,
  MessageType,
  PermissionFlagsBits,
} from 'discord.js';
import { type ChatInputDefinition, commandOptions, resolvedFor } from './discord-commands.ts';
import {
  DISCORD_APPLICATION_ID,
  DISCORD_CHANNELS,
  discordGuild,
  discordUsers,
  dmChannel,
  memberPermissions,
} from './discord-payloads.ts';

/** Discord's epoch: snowflakes count milliseconds from 2015-01-01T00:00:00Z. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;
let snowflakeIncrement = 0n;

/** A fresh snowflake for now (19 digits today); discord.js derives `createdAt` from it. */
export function newSnowflake(atMs: number = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) % 4096n;
  const workerAndProcess = 1n << 17n;
  return String(((BigInt(atMs) - DISCORD_EPOCH_MS) << 22n) | workerAndProcess | snowflakeIncrement);
}

/** The fields of a message a bot sends (POST, PATCH, interaction callbacks) that it gets back. */
export interface SentMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: MessageFlags;
}

/** A message as Discord answers it when one is created, edited or fetched. */
export function discordMessage(
  channelId: string,
  sent: SentMessage = {},
  fields: Partial<APIMessage> = {},
): APIMessage {
  return {
    id: newSnowflake(),
    channel_id: channelId,
    author: discordUsers.bot,
    content: sent.content ?? '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: sent.embeds ?? [],
    components: sent.components ?? [],
    pinned: false,
    type: MessageType.Default,
    flags: sent.flags ?? (0 as MessageFlags),
    ...fields,
  };
}

/** Opaque and URL-safe, as Discord's are: tokens appear in webhook paths. */
function newInteractionToken(interactionId: string): string {
  const secret = randomBytes(36).toString('hex');
  return Buffer.from(`interaction:${interactionId}:${secret}`).toString('base64url');
}

/** Where and by whom an interaction is invoked. */
export interface InteractionOrigin {
  /** Default: the admin of the default guild. */
  user?: APIUser;
  /** Default: `discordGuild()`; pass the fake's own guild when it was configured differently. */
  guild?: ReturnType<typeof discordGuild>;
  /** Default: #general. */
  channelId?: string;
  /** Invoked in the bot's DM: a `user` instead of a `member`, no `guild_id`, context BotDM. */
  dm?: boolean;
  /** Replaces the permissions computed from the guild's roles and the channel's overwrites. */
  permissions?: bigint;
  locale?: Locale;
}

type InteractionBase = Omit<APIBaseInteraction<InteractionType, never>, 'type' | 'data'>;

/** What a bot may do in a DM: no guild roles or overwrites apply there. */
const DM_APP_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory;

// Discord's limit for an unboosted guild and for DMs: 10 MiB.
const ATTACHMENT_SIZE_LIMIT_BYTES = 10 * 1024 * 1024;

function interactionBase(origin: InteractionOrigin): InteractionBase {
  const id = newSnowflake();
  const user = origin.user ?? discordUsers.admin;
  const common = {
    id,
    application_id: DISCORD_APPLICATION_ID,
    token: newInteractionToken(id),
    version: 1 as const,
    locale: origin.locale ?? Locale.EnglishUS,
    entitlements: [],
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT_BYTES,
  };

  if (origin.dm) {
    const channel = dmChannel(user);
    return {
      ...common,
      user,
      channel,
      channel_id: channel.id,
      app_permissions: String(DM_APP_PERMISSIONS),
      context: InteractionContextType.BotDM,
      // Documented: a guild install used in the bot's DM names the guild "0".
      authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: '0' },
    };
  }

  const guild = origin.guild ?? discordGuild();
  const channelId = origin.channelId ?? DISCORD_CHANNELS.general;
  const channel = guild.channels.find((candidate) => candidate.id === channelId);
  const member = guild.members.find((candidate) => candidate.user.id === user.id);
  if (!channel) {
    throw new Error(`interaction builder: guild ${guild.id} has no channel ${channelId}`);
  }
  if (!member) {
    throw new Error(`interaction builder: ${user.username} is not in guild ${guild.id}`);
  }
  const permissions = origin.permissions ?? memberPermissions(guild, user.id, channelId) ?? 0n;
  const appPermissions = memberPermissions(guild, DISCORD_APPLICATION_ID, channelId) ?? 0n;
  return {
    ...common,
    guild_id: guild.id,
    guild: { id: guild.id, locale: guild.preferred_locale, features: guild.features },
    guild_locale: guild.preferred_locale,
    channel,
    channel_id: channel.id,
    member: { ...member, user, permissions: String(permissions) },
    app_permissions: String(appPermissions),
    context: InteractionContextType.Guild,
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guild.id },
  };
}

/**
 * `/billing alerts threshold amount:50` as Discord delivers it. With `definition` (what was
 * registered) options get their registered types and unknown names throw; without it the types
 * are guessed from the text (whole numbers become INTEGER options).
 */
export function chatInputInteraction(
  text: string,
  origin: InteractionOrigin & { definition?: ChatInputDefinition } = {},
): APIChatInputApplicationCommandInteraction {
  const base = interactionBase(origin);
  const { name, options } = commandOptions(text, origin.definition);
  const invocation = {
    userId: origin.user?.id ?? discordUsers.admin.id,
    channelId: base.channel_id ?? '',
  };
  const resolved = origin.dm
    ? undefined
    : resolvedFor(options, origin.guild ?? discordGuild(), invocation);
  return {
    ...base,
    type: InteractionType.ApplicationCommand,
    data: {
      id: origin.definition?.id ?? newSnowflake(),
      name,
      type: ApplicationCommandType.ChatInput,
      ...(options.length > 0 ? { options } : {}),
      ...(resolved ? { resolved } : {}),
      ...(origin.definition?.guild_id ? { guild_id: origin.definition.guild_id } : {}),
    },
  } as APIChatInputApplicationCommandInteraction;
}

/** A message of the bot's carrying one button, for a click on it. */
export function messageWithButton(customId: string, channelId: string, label = 'Open'): APIMessage {
  const button: APIButtonComponentWithCustomId = {
    type: ComponentType.Button,
    id: 2,
    custom_id: customId,
    style: ButtonStyle.Primary,
    label,
  };
  return discordMessage(channelId, {
    content: 'Billing',
    components: [{ type: ComponentType.ActionRow, id: 1, components: [button] }],
  });
}

/** A click on a button (component_type 2) of `message`, by default a bot message holding it. */
export function buttonInteraction(
  customId: string,
  origin: InteractionOrigin & { message?: APIMessage } = {},
): APIMessageComponentButtonInteraction {
  const base = interactionBase(origin);
  return {
    ...base,
    type: InteractionType.MessageComponent,
    data: { custom_id: customId, component_type: ComponentType.Button },
    message: origin.message ?? messageWithButton(customId, base.channel_id ?? ''),
  } as APIMessageComponentButtonInteraction;
}

/**
 * A modal's submission: one text input per entry of `values`. Discord sends the inputs of a
 * classic modal in action rows (`layout: 'action-rows'`, the default); a modal built from label
 * components comes back as labels (`layout: 'labels'`), which discord.js 14.28 also reads.
 */
export function modalSubmitInteraction(
  customId: string,
  values: Record<string, string>,
  origin: InteractionOrigin & { layout?: 'action-rows' | 'labels'; message?: APIMessage } = {},
): APIModalSubmitInteraction {
  // Discord numbers every component of the modal, containers included, from 1.
  let lastComponentId = 0;
  const components = Object.entries(values).map(([inputId, value]): APIModalSubmissionComponent => {
    const id = ++lastComponentId;
    const input = {
      type: ComponentType.TextInput as const,
      id: ++lastComponentId,
      custom_id: inputId,
      value,
    };
    return origin.layout === 'labels'
      ? { type: ComponentType.Label, id, component: input }
      : { type: ComponentType.ActionRow, id, components: [input] };
  });
  return {
    ...interactionBase(origin),
    type: InteractionType.ModalSubmit,
    data: { custom_id: customId, components },
    ...(origin.message ? { message: origin.message } : {}),
  } as APIModalSubmitInteraction;
}
