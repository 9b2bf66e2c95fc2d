// Who is a billing admin. One function decides, for every adapter and every action, and it is
// asked again at the moment of each action: roles change, and payloads can be replayed.
import type { Actor } from './actors.ts';

/**
 * What the chat platform says about the actor, as the adapter read it just now.
 * `null` when the platform could not tell (an API error, a DM without member permissions).
 */
export interface PlatformRoles {
  /** Slack workspace admin, owner or primary owner; Discord Administrator or Manage Server. */
  isPlatformAdmin: boolean;
  /** Slack guests (restricted and ultra-restricted users); never billing admins. */
  isGuest: boolean;
}

/** Users made billing admins by configuration, as `platform:userId` (`slack:U0123ABCD`). */
export type ExtraAdminIds = readonly string[];

/**
 * Decides whether the actor may act as a billing admin.
 * Unknown roles mean "not an admin", whatever else is configured: when the platform cannot
 * confirm who someone is, no payment or billing detail is put in their hands.
 */
export function isBillingAdmin(
  actor: Actor,
  roles: PlatformRoles | null,
  extraAdminIds: ExtraAdminIds,
): boolean {
  if (roles === null || roles.isGuest) return false;
  if (roles.isPlatformAdmin) return true;
  return extraAdminIds.includes(`${actor.platform}:${actor.userId}`);
}
