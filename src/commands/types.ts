// The neutral shapes between adapters and the /billing commands: a request in, a reply out.
// Adapters render replies as Block Kit, Discord messages or terminal text.
import type { Actor, WorkspaceRef } from '../billing/actors.ts';
import type { PlatformRoles } from '../billing/permissions.ts';
import type { ProfileField, ProfileInput } from '../billing/profile.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

/** What commands need from the rest of the bot. */
export interface BillingDeps {
  prisma: PrismaClient;
  /** Lower-case ISO 4217 code of new accounts. */
  currency: string;
  topUp: { minMajor: string; maxMajor: string };
  extraAdminIds: readonly string[];
  now: () => Date;
}

/** One command as an adapter understood it. */
export interface CommandRequest {
  workspace: WorkspaceRef;
  actor: Actor;
  /** What the platform said about the actor just now; null when it could not tell. */
  roles: PlatformRoles | null;
  channelId: string | null;
  /** What followed the command name, e.g. `add 100` (a leading `/billing` is ignored). */
  text: string;
  /** Who the billing admins are on this platform, in one sentence for denials. */
  adminsDescription: string;
}

export type ReplyBlock =
  | { type: 'heading'; text: string }
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'table'; columns: string[]; rows: string[][] }
  | { type: 'actions'; actions: ReplyAction[] };

/** A button: an action of ours (by id) or a link. */
export interface ReplyAction {
  id: 'edit-profile';
  label: string;
}

/** A transport-neutral answer. `text` is a one-line summary for notifications and fallbacks. */
export interface Reply {
  outcome: 'ok' | 'denied' | 'invalid' | 'error';
  text: string;
  blocks: ReplyBlock[];
}

/** What a command asks the adapter to do. */
export type CommandResult =
  | { type: 'reply'; reply: Reply }
  /** Show the billing-profile form (a modal, or prompts in the console) with these values. */
  | { type: 'profile-form'; current: ProfileInput };

/** What submitting the profile form led to. */
export type ProfileSubmitResult =
  | { type: 'reply'; reply: Reply }
  /** Nothing was saved; every problem is keyed by its field. */
  | { type: 'profile-invalid'; errors: Partial<Record<ProfileField, string>> };
