// Posts notices (a payment credited, a refund) in Slack, outside of any command: in the channel
// of the top-up, or to the person in a DM when the bot cannot post there.
import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { NoticeTarget, Notifier, Reply } from '../commands/types.ts';
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
