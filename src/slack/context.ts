// What every Slack listener needs, and the neutral request it builds from a payload.
import type { WebClient } from '@slack/web-api';
import type { WorkspaceRef } from '../billing/actors.ts';
import type { BillingDeps, CommandRequest } from '../commands/types.ts';
import type { Logger } from '../logger.ts';
import type { RoleReader } from './roles.ts';
import { idsOfBody, slackWorkspace } from './workspace.ts';

export interface SlackDeps {
  billing: BillingDeps;
  roles: RoleReader;
  logger: Logger;
  /** SLACK_API_URL when set: response_urls on its host are Slack's too (proxies, tests). */
  slackApiUrl: string | null;
}

/** Builds the neutral request for a Slack user, asking Slack for their roles right now. */
export async function slackRequest(
  deps: SlackDeps,
  client: WebClient,
  input: {
    workspace: WorkspaceRef;
    userId: string;
    userName?: string;
    channelId: string | null;
    text: string;
  },
): Promise<CommandRequest> {
  const person = await deps.roles.lookUp(client, input.workspace.externalId, input.userId);
  return {
    workspace: input.workspace,
    actor: {
      platform: 'slack',
      userId: input.userId,
      userName: person.name ?? input.userName ?? null,
    },
    roles: person.roles,
    channelId: input.channelId,
    text: input.text,
    adminsDescription: describeSlackAdmins(deps.billing.extraAdminIds),
  };
}

/**
 * The neutral request of a payload that is not a command (a click, a submission, an event),
 * or null when the payload names no workspace.
 */
export async function requestFromPayload(
  deps: SlackDeps,
  client: WebClient,
  body: unknown,
  input: { userId: string; channelId: string | null; text: string },
): Promise<CommandRequest | null> {
  const workspace = slackWorkspace(idsOfBody(body));
  return workspace ? slackRequest(deps, client, { workspace, ...input }) : null;
}

// Names stay out: replies are escaped for Slack, so a mention would show as text.
function describeSlackAdmins(extraAdminIds: readonly string[]): string {
  const extra = extraAdminIds.some((id) => id.startsWith('slack:'))
    ? ", and the people the bot's operator named"
    : '';
  return `Billing admins are this workspace's admins and owners${extra}. Ask one of them.`;
}
