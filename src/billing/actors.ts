// Who acts, and where: the neutral shapes every adapter fills from its platform's payload.

/** The chat platforms the bot speaks to. */
export type Platform = 'slack' | 'discord' | 'console';

/** A person acting through a chat platform. Ids are kept as text (Discord snowflakes). */
export interface Actor {
  /** `system` for what the bot does by itself; `operator` for the support CLI. */
  platform: Platform | 'system' | 'operator';
  userId: string;
  userName: string | null;
}

/** A Slack team, a Discord server or the console: what a billing account is found by. */
export interface WorkspaceRef {
  platform: Platform;
  externalId: string;
  name?: string | null;
}

/** Where an action happened, for the audit log. */
export interface Place {
  workspace: WorkspaceRef;
  channelId: string | null;
}

/** The system itself, for entries no person made (webhooks, scheduled jobs). */
export const SYSTEM_ACTOR: Actor = { platform: 'system', userId: 'billing-bot', userName: null };
