// Posts notices (a payment credited, a refund) in Slack, outside of any command: in the channel
// of the top-up, or to the person in a DM when the bot cannot post there.
import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { AlertPost, AlertTarget, NoticeTarget, Notifier, Reply } from '../commands/types.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { toSlackMessage } from './render.ts';

// Slack's answers when the bot may not post in a channel: not a member of a private channel,
// a DM between other people, an archived channel.
const UNREACHABLE = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

export interface SlackNotifierOptions {
  app: App;
  prisma: PrismaClient;
  /** Set in one-workspace mode; in OAuth mode each workspace's own token is looked up. */
  botToken: string | null;
  clientOptions: ConstructorParameters<typeof WebClient>[1];
}

export function createSlackNotifier(options: SlackNotifierOptions): Notifier {
  const toPerson = async (target: NoticeTarget, reply: Reply) => {
    const client = await clientFor(options, target.workspaceId);
    // A user id as the channel posts in the person's DM with the app.
    await client.chat.postMessage({ channel: target.userId, ...toSlackMessage(reply) });
  };

  return {
    toPerson,
    toAlertChannel: (target, reply, threadRef) => postAlert(options, target, reply, threadRef),
    channelProblem: (target) => channelProblem(options, target),
    async toChannel(target, reply) {
      if (!target.channelId) return toPerson(target, reply);
      const client = await clientFor(options, target.workspaceId);
      try {
        await client.chat.postMessage({ channel: target.channelId, ...toSlackMessage(reply) });
      } catch (error) {
        if (!UNREACHABLE.has(slackErrorCode(error) ?? '')) throw error;
        await toPerson(target, reply);
      }
    },
  };
}

async function postAlert(
  options: SlackNotifierOptions,
  target: AlertTarget,
  reply: Reply,
  threadRef: string | null,
): Promise<AlertPost> {
  if (!target.channelId) return { status: 'unreachable', problem: 'no channel was chosen' };
  const client = await clientFor(options, target.workspaceId);
  try {
    const posted = await client.chat.postMessage({
      channel: target.channelId,
      ...toSlackMessage(reply),
      ...(threadRef ? { thread_ts: threadRef } : {}),
    });
    return { status: 'posted', ref: posted.ts ?? null };
  } catch (error) {
    const code = slackErrorCode(error);
    if (!code || !UNREACHABLE.has(code)) throw error;
    return { status: 'unreachable', problem: code };
  }
}

// Public channels take posts without an invitation (chat:write.public); a private channel, or
// one this token cannot see, needs the bot invited.
async function channelProblem(
  options: SlackNotifierOptions,
  target: AlertTarget,
): Promise<string | null> {
  if (!target.channelId) return 'Name a channel.';
  const client = await clientFor(options, target.workspaceId);
  const invite =
    'Invite the bot there first (/invite @billing-bot in that channel), then try again.';
  try {
    const { channel } = await client.conversations.info({ channel: target.channelId });
    if (channel?.is_archived) return 'That channel is archived; choose another one.';
    if (channel?.is_im || channel?.is_mpim) return 'Alerts go to a channel, not a direct message.';
    if (channel?.is_private && !channel.is_member) return `The bot cannot post there. ${invite}`;
    return null;
  } catch (error) {
    if (!UNREACHABLE.has(slackErrorCode(error) ?? '')) throw error;
    return `The bot cannot see that channel. ${invite}`;
  }
}

async function clientFor(options: SlackNotifierOptions, workspaceId: string): Promise<WebClient> {
  if (options.botToken) return options.app.client;
  // Organisation-wide installs are keyed by the enterprise, whose ids start with E.
  const key = workspaceId.startsWith('E') ? `enterprise:${workspaceId}` : `team:${workspaceId}`;
  const row = await options.prisma.slackInstallation.findUnique({ where: { key } });
  const token = (row?.installation as { bot?: { token?: string } } | undefined)?.bot?.token;
  if (!token) throw new Error(`No Slack installation for ${workspaceId}: cannot post a notice`);
  return new WebClient(token, options.clientOptions);
}

function slackErrorCode(error: unknown): string | undefined {
  return (error as { data?: { error?: string } }).data?.error;
}
