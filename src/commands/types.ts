// The neutral shapes between adapters and the /billing commands: a request in, a reply out.
// Adapters render replies as Block Kit, Discord messages or terminal text.

import type { Account } from '../billing/accounts.ts';
import type { Actor, WorkspaceRef } from '../billing/actors.ts';
import type { PlatformRoles } from '../billing/permissions.ts';
import type { BillingProfileFields, ProfileField, ProfileInput } from '../billing/profile.ts';
import type { CheckoutLink, TopUpQuote } from '../billing/topups.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { RateLimiter } from '../rate-limit.ts';

/** What commands need from the rest of the bot. */
export interface BillingDeps {
  prisma: PrismaClient;
  /** Lower-case ISO 4217 code of new accounts. */
  currency: string;
  topUp: { minMajor: string; maxMajor: string };
  extraAdminIds: readonly string[];
  now: () => Date;
  /** The payment provider; null when payments are not set up. */
  payments: PaymentsPort | null;
  /** Posts outside of commands, and tells whether a channel can be posted in. */
  notifier: Notifier | null;
  /** ALERT_DEFAULT_THRESHOLD, in major units of an account's currency. */
  alertDefaultThresholdMajor: string;
  /** Limits how often one person may ask for payment links. */
  topUpLimiter: RateLimiter;
  /** Counts failed `/billing link <code>` tries per workspace, so that codes cannot be guessed. */
  linkCodeLimiter: RateLimiter;
}

/** What commands need of a payment provider (Stripe), in billing terms. */
export interface PaymentsPort {
  /**
   * Makes the payment page of a pending quote, or finds the one made before (same quote, same
   * page, also when two replicas ask at once).
   * @returns the link, and warnings for the admin (a tax id the provider did not accept).
   * @throws BillingError with a message for the admin when the provider refuses or is down.
   */
  checkoutFor(quote: TopUpQuote, account: Account): Promise<CheckoutResult>;
  /**
   * Pushes saved billing details to the account's customer at the provider, if it has one.
   * Never throws: an outage is logged and the next top-up pushes the details again.
   * @returns problems the provider found, keyed by field (a tax id it rejects).
   */
  syncProfile(account: Account, profile: BillingProfileFields): Promise<PaymentProfileProblems>;
}

export interface CheckoutResult {
  link: CheckoutLink;
  warnings: string[];
}

/** Fields of a billing profile that the payment provider refused, with its reason. */
export type PaymentProfileProblems = Partial<Record<ProfileField, string>>;

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

/** A button: an action of ours (by id), or a link that opens a page. */
export type ReplyAction =
  | { id: 'edit-profile' | 'add-credits' | 'snooze-alerts'; label: string }
  | ReplyLink;

export interface ReplyLink {
  id: 'link';
  label: string;
  url: string;
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

/** Who hears about something that happened later (a payment, a refund), away from a command. */
export interface NoticeTarget {
  platform: 'slack' | 'discord' | 'console';
  /** The Slack team or enterprise, the Discord server. */
  workspaceId: string;
  /** The channel to post in; null or unreachable means the person instead. */
  channelId: string | null;
  /** The person concerned: told directly when the channel cannot be reached. */
  userId: string;
}

/** Posts replies outside of a command: each adapter delivers them on its platform. */
export interface Notifier {
  /** Posts in the target's channel, or to the person when that channel is unreachable. */
  toChannel(target: NoticeTarget, reply: Reply): Promise<void>;
  /** Tells the person alone (a DM in Slack). */
  toPerson(target: NoticeTarget, reply: Reply): Promise<void>;
  /**
   * Posts an alert in a channel, in the thread of `threadRef` when given; never falls back to
   * a person. @throws on failures other than an unreachable channel.
   */
  toAlertChannel(target: AlertTarget, reply: Reply, threadRef: string | null): Promise<AlertPost>;
  /** Why the bot cannot post in a channel (with the fix), or null when it can. */
  channelProblem(target: AlertTarget): Promise<string | null>;
}

/** A channel that alerts go to. */
export interface AlertTarget {
  platform: NoticeTarget['platform'];
  workspaceId: string;
  channelId: string | null;
}

export type AlertPost =
  /** `ref` names the message, for a reply in its thread; null where threads do not exist. */
  { status: 'posted'; ref: string | null } | { status: 'unreachable'; problem: string };
