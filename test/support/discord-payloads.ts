// Discord objects in the documented shapes of API v10 (the types of discord-api-types, which
// discord.js re-exports): users, and a guild as GUILD_CREATE carries it with its roles, channels
// and members. Ids are made up; every id is a snowflake kept as text, as discord.js reads it.
import {
  type APIDMChannel,
  type APIGuildMember,
  type APIOverwrite,
  type APIRole,
  type APITextChannel,
  type APIUser,
  type ChannelFlags,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  type GuildMemberFlags,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  OverwriteType,
  PermissionFlagsBits,
  PermissionsBitField,
  type RoleFlags,
  type UserFlags,
} from 'discord.js';

// Apps made since 2021 have a bot user whose id is the application's id.
export const DISCORD_APPLICATION_ID = '1201000000000000001';
export const DISCORD_GUILD_ID = '1201000000000000100';
export const DISCORD_CHANNELS = {
  general: '1201000000000000201',
  billingAlerts: '1201000000000000202',
  /** The bot's role is denied Send Messages here: posting answers 403 Missing Permissions. */
  announcements: '1201000000000000203',
  /** Hidden from @everyone, the bot included: posting answers 403 Missing Access. */
  staff: '1201000000000000204',
};
export const DISCORD_ROLES = {
  /** The @everyone role has the guild's id. */
  everyone: DISCORD_GUILD_ID,
  admins: '1201000000000000301',
  finance: '1201000000000000302',
  /** The managed role Discord gives a bot when it is added with permissions. */
  billingBot: '1201000000000000303',
};

const user = (id: string, username: string, globalName: string | null): APIUser => ({
  id,
  username,
  discriminator: '0',
  global_name: globalName,
  avatar: null,
  public_flags: 0 as UserFlags,
});

export const discordUsers = {
  bot: { ...user(DISCORD_APPLICATION_ID, 'billing-bot', null), discriminator: '4821', bot: true },
  /** Owns the guild: every permission, whatever the roles. */
  owner: user('1201000000000000401', 'olive.owner', 'Olive Owner'),
  /** Holds the Admins role (Administrator). */
  admin: user('1201000000000000402', 'ada.admin', 'Ada Admin'),
  /** Holds the Finance role (Manage Server, not Administrator). */
  manager: user('1201000000000000403', 'max.manager', 'Max Manager'),
  /** No role besides @everyone. */
  member: user('1201000000000000404', 'mo.member', 'Mo Member'),
  /** In no guild of the fixture: reaches the bot by DM only. */
  stranger: user('1201000000000000405', 'sam.stranger', 'Sam Stranger'),
} satisfies Record<string, APIUser>;

/** What a new guild's @everyone may do, close to Discord's defaults. */
const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands;
const FINANCE_PERMISSIONS = EVERYONE_PERMISSIONS | PermissionFlagsBits.ManageGuild;
/** What the bot's invite asked for: read and post in text channels. */
const BOT_ROLE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory;

export function discordRole(
  id: string,
  name: string,
  permissions: bigint,
  fields: Partial<APIRole> = {},
): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: 0,
    permissions: String(permissions),
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...fields,
  };
}

export function textChannel(
  id: string,
  name: string,
  position: number,
  permissionOverwrites: APIOverwrite[] = [],
  guildId = DISCORD_GUILD_ID,
): APITextChannel {
  return {
    id,
    type: ChannelType.GuildText,
    guild_id: guildId,
    name,
    position,
    permission_overwrites: permissionOverwrites,
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0 as ChannelFlags,
  };
}

/**
 * The bot's DM channel with a user, as POST /users/@me/channels and DM interactions carry it.
 * Discord keeps one DM channel per user, so the made-up id is the same each time.
 */
export function dmChannel(recipient: APIUser): APIDMChannel {
  const id = String(BigInt(recipient.id) + 500_000_000n);
  return {
    id,
    type: ChannelType.DM,
    name: null,
    last_message_id: null,
    flags: 0 as ChannelFlags,
    recipients: [recipient],
  };
}

export function guildMember(member: APIUser, roles: string[] = []): APIGuildMember {
  return {
    user: member,
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: '2024-01-15T10:00:00.000000+00:00',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

const overwrite = (id: string, type: OverwriteType, allow: bigint, deny: bigint) => ({
  id,
  type,
  allow: String(allow),
  deny: String(deny),
});

/**
 * The guild as GUILD_CREATE delivers it: roles, text channels with their overwrites, and the
 * members the tests act as (the bot, the owner, an admin, a manager, a plain member).
 */
export function discordGuild(
  fields: Partial<GatewayGuildCreateDispatchData> = {},
): GatewayGuildCreateDispatchData {
  const { ViewChannel, SendMessages } = PermissionFlagsBits;
  const roles = [
    discordRole(DISCORD_ROLES.everyone, '@everyone', EVERYONE_PERMISSIONS),
    discordRole(DISCORD_ROLES.admins, 'Admins', PermissionFlagsBits.Administrator, { position: 3 }),
    discordRole(DISCORD_ROLES.finance, 'Finance', FINANCE_PERMISSIONS, { position: 2 }),
    discordRole(DISCORD_ROLES.billingBot, 'billing-bot', BOT_ROLE_PERMISSIONS, {
      position: 1,
      managed: true,
      tags: { bot_id: DISCORD_APPLICATION_ID },
    }),
  ];
  const channels = [
    textChannel(DISCORD_CHANNELS.general, 'general', 0),
    textChannel(DISCORD_CHANNELS.billingAlerts, 'billing-alerts', 1),
    textChannel(DISCORD_CHANNELS.announcements, 'announcements', 2, [
      overwrite(DISCORD_ROLES.billingBot, OverwriteType.Role, 0n, SendMessages),
    ]),
    textChannel(DISCORD_CHANNELS.staff, 'staff', 3, [
      overwrite(DISCORD_ROLES.everyone, OverwriteType.Role, 0n, ViewChannel),
      overwrite(DISCORD_ROLES.admins, OverwriteType.Role, ViewChannel, 0n),
    ]),
  ];
  const members = [
    guildMember(discordUsers.bot, [DISCORD_ROLES.billingBot]),
    guildMember(discordUsers.owner),
    guildMember(discordUsers.admin, [DISCORD_ROLES.admins]),
    guildMember(discordUsers.manager, [DISCORD_ROLES.finance]),
    guildMember(discordUsers.member),
  ];

  return {
    id: DISCORD_GUILD_ID,
    name: 'Billing Test Server',
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: discordUsers.owner.id,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.AllMembers,
    mfa_level: GuildMFALevel.None,
    nsfw_level: GuildNSFWLevel.Default,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    system_channel_id: DISCORD_CHANNELS.general,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotificationReplies,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    application_id: null,
    vanity_url_code: null,
    preferred_locale: Locale.EnglishUS,
    features: [],
    emojis: [],
    stickers: [],
    hub_type: null,
    incidents_data: null,
    max_members: 500000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    roles,
    joined_at: '2024-01-15T10:00:00.000000+00:00',
    large: false,
    unavailable: false,
    member_count: members.length,
    members,
    channels,
    threads: [],
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    ...fields,
  };
}

/**
 * A member's permissions in a channel, computed as Discord documents it (and sends in an
 * interaction's `member.permissions`): the owner and Administrator get everything; otherwise
 * @everyone and the member's roles, then the channel's overwrites for @everyone, the roles and the
 * member. Null when the user is not a member of the guild.
 */
export function memberPermissions(
  guild: GatewayGuildCreateDispatchData,
  userId: string,
  channelId?: string,
): bigint | null {
  const member = guild.members.find((candidate) => candidate.user.id === userId);
  if (!member) return null;
  if (guild.owner_id === userId) return PermissionsBitField.All;

  const roleBits = (id: string) =>
    BigInt(guild.roles.find((role) => role.id === id)?.permissions ?? '0');
  let permissions = [guild.id, ...member.roles].reduce((bits, id) => bits | roleBits(id), 0n);
  if (permissions & PermissionFlagsBits.Administrator) return PermissionsBitField.All;

  const channel = guild.channels.find((candidate) => candidate.id === channelId);
  const overwrites =
    channel && 'permission_overwrites' in channel ? channel.permission_overwrites : [];
  const apply = (matching: APIOverwrite[]) => {
    const allow = matching.reduce((bits, { allow: bitsText }) => bits | BigInt(bitsText), 0n);
    const deny = matching.reduce((bits, { deny: bitsText }) => bits | BigInt(bitsText), 0n);
    permissions = (permissions & ~deny) | allow;
  };
  apply((overwrites ?? []).filter((entry) => entry.id === guild.id));
  apply(
    (overwrites ?? []).filter((entry) => entry.id !== guild.id && member.roles.includes(entry.id)),
  );
  apply((overwrites ?? []).filter((entry) => entry.id === userId));
  return permissions;
}
