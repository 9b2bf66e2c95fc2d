// Who is an admin in Slack, as `users.info` says at this moment (cached briefly: a modal has to
// open within Slack's 3-second trigger window). A failed lookup means "not an admin".
import type { WebClient } from '@slack/web-api';
import type { PlatformRoles } from '../billing/permissions.ts';
import type { Logger } from '../logger.ts';

const CACHE_MS = 60_000;

/** The Slack user fields that decide a billing admin. */
interface SlackUser {
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  deleted?: boolean;
  is_bot?: boolean;
  real_name?: string;
  name?: string;
}

export interface SlackPerson {
  roles: PlatformRoles | null;
  /** The name shown in the ledger and audit log. */
  name: string | null;
}

export interface RoleReader {
  /** The user's roles and name; roles null when Slack could not be asked. */
  lookUp(client: WebClient, teamKey: string, userId: string): Promise<SlackPerson>;
}

/** A reader that remembers answers for a minute per workspace and user. */
export function createRoleReader(logger: Logger, now = () => Date.now()): RoleReader {
  const cache = new Map<string, { person: SlackPerson; until: number }>();

  return {
    async lookUp(client, teamKey, userId) {
      const key = `${teamKey}:${userId}`;
      const cached = cache.get(key);
      if (cached && cached.until > now()) return cached.person;

      const person = await askSlack(client, userId, logger);
      // Failures are not cached: the next action asks again.
      if (person.roles) cache.set(key, { person, until: now() + CACHE_MS });
      if (cache.size > 10_000) cache.clear();
      return person;
    },
  };
}

async function askSlack(client: WebClient, userId: string, logger: Logger): Promise<SlackPerson> {
  try {
    const response = await client.users.info({ user: userId });
    const user = response.user as SlackUser | undefined;
    if (!user) return { roles: null, name: null };
    return { roles: rolesOf(user), name: user.real_name || user.name || null };
  } catch (error) {
    logger.warn(
      { err: error, user_id: userId },
      'users.info failed; treating the user as no admin',
    );
    return { roles: null, name: null };
  }
}

/** Workspace admins, owners and the primary owner are admins; guests and bots never are. */
export function rolesOf(user: SlackUser): PlatformRoles {
  const isGuest = Boolean(user.is_restricted || user.is_ultra_restricted);
  const disabled = Boolean(user.deleted || user.is_bot);
  const isAdmin = Boolean(user.is_admin || user.is_owner || user.is_primary_owner);
  return { isPlatformAdmin: isAdmin && !isGuest && !disabled, isGuest: isGuest || disabled };
}
