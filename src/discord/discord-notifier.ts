// Posts notices (a payment credited, a refund) and alerts in Discord, outside of any command:
// as new channel messages, since an interaction's token dies after 15 minutes and a payment can
// take longer. When the bot may not post in the channel, the person gets a DM instead.
import {
  type Client,
  DiscordAPIError,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  type RESTPostAPIChannelMessageResult,
  Routes,
} from 'discord.js';
import type { AlertPost, AlertTarget, NoticeTarget, Notifier, Reply } from '../commands/types.ts';
import { type DiscordMessage, toDiscordMessage } from './render.ts';

// Discord's answers when the bot may not post in a channel: it cannot see it, lacks the
// permission, or the channel is gone.
const UNREACHABLE = new Set<number>([
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.UnknownChannel,
]);

const INVITE_ADVICE =
  "Give the bot's role View Channel and Send Messages there (channel settings → Permissions), " +
  'then try again.';

export function createDiscordNotifier(client: Client): Notifier {
  // Straight to REST, which takes Discord's own field names.
  const post = (channelId: string, message: DiscordMessage, reference: object = {}) => {
    const { allowedMentions, ...rest } = message;
    const body = { ...rest, allowed_mentions: allowedMentions, ...reference };
    return client.rest.post(Routes.channelMessages(channelId), {
      body,
    }) as Promise<RESTPostAPIChannelMessageResult>;
  };

  const toPerson = async (target: NoticeTarget, reply: Reply) => {
    const dm = (await client.rest.post(Routes.userChannels(), {
      body: { recipient_id: target.userId },
    })) as { id: string };
    await post(dm.id, toDiscordMessage(reply));
  };

  return {
    toPerson,
    async toChannel(target, reply) {
      if (!target.channelId) return toPerson(target, reply);
      try {
        await post(target.channelId, toDiscordMessage(reply));
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        await toPerson(target, reply);
      }
    },
    async toAlertChannel(target, reply, threadRef): Promise<AlertPost> {
      if (!target.channelId) return { status: 'unreachable', problem: 'no channel was chosen' };
      // The all-clear answers the alert it ends, as a reply to that message.
      const reference = threadRef
        ? { message_reference: { message_id: threadRef, fail_if_not_exists: false } }
        : {};
      try {
        const posted = await post(target.channelId, toDiscordMessage(reply), reference);
        return { status: 'posted', ref: posted.id };
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        return {
          status: 'unreachable',
          problem: `Discord error ${(error as DiscordAPIError).code}`,
        };
      }
    },
    channelProblem: (target) => channelProblem(client, target),
  };
}

// The bot's own permissions in the channel, from the server's roles and the channel's
// overwrites, as discord.js computes them.
async function channelProblem(client: Client, target: AlertTarget): Promise<string | null> {
  if (!target.channelId) return 'Name a channel.';
  try {
    const guild = await client.guilds.fetch(target.workspaceId);
    const channel = await guild.channels.fetch(target.channelId);
    if (!channel) return `The bot cannot see that channel. ${INVITE_ADVICE}`;
    if (!channel.isTextBased()) return 'Alerts go to a text channel; choose another one.';
    const me = guild.members.me ?? (await guild.members.fetchMe());
    const allowed = channel
      .permissionsFor(me)
      .has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages]);
    return allowed ? null : `The bot cannot post there. ${INVITE_ADVICE}`;
  } catch (error) {
    if (!isUnreachable(error)) throw error;
    return `The bot cannot see that channel. ${INVITE_ADVICE}`;
  }
}

function isUnreachable(error: unknown): boolean {
  return error instanceof DiscordAPIError && UNREACHABLE.has(Number(error.code));
}
