// What every Discord listener needs, and the neutral request it builds from an interaction.
import { type Interaction, PermissionFlagsBits } from 'discord.js';
import type { PlatformRoles } from '../billing/permissions.ts';
import type { DraftOwner } from '../billing/profile-drafts.ts';
import type { BillingDeps, CommandRequest } from '../commands/types.ts';
import type { Logger } from '../logger.ts';

export interface DiscordDeps {
  billing: BillingDeps;
  logger: Logger;
}

/** Said in a DM, where Discord gives no member permissions to check. */
export const SERVER_ONLY_TEXT =
  '/billing works in a server, where your role can be checked. Run it in a channel of the ' +
  'server whose billing you keep; in a direct message nobody counts as a billing admin.';

/**
 * The neutral request of an interaction in a server, or null in a DM. Roles come from the
 * permissions Discord computed for the member in this very interaction, so they are current.
 */
export function requestOf(
  deps: DiscordDeps,
  interaction: Interaction,
  text: string,
): CommandRequest | null {
  if (!interaction.inGuild()) return null;
  const member = interaction.member;
  const memberName = member && 'displayName' in member ? member.displayName : null;
  return {
    workspace: {
      platform: 'discord',
      externalId: interaction.guildId,
      name: interaction.guild?.name ?? null,
    },
    actor: {
      platform: 'discord',
      userId: interaction.user.id,
      userName: memberName ?? interaction.user.displayName,
    },
    roles: rolesOf(interaction),
    channelId: interaction.channelId,
    text,
    adminsDescription: describeDiscordAdmins(deps.billing.extraAdminIds),
  };
}

/** Whose a draft of the billing form is: the member, in this server. */
export function draftOwnerOf(request: CommandRequest): DraftOwner {
  return {
    platform: 'discord',
    workspaceId: request.workspace.externalId,
    userId: request.actor.userId,
  };
}

function describeDiscordAdmins(extraAdminIds: readonly string[]): string {
  const extra = extraAdminIds.some((id) => id.startsWith('discord:'))
    ? ", and the people the bot's operator named"
    : '';
  const who = `the members with Administrator or Manage Server${extra}`;
  return `Billing admins are ${who}. Ask one of them.`;
}

// Administrator or Manage Server make a billing admin; Discord has no guests. Without the
// permissions field (it is always sent in servers) the answer is "cannot tell".
function rolesOf(interaction: Interaction): PlatformRoles | null {
  const permissions = interaction.memberPermissions;
  if (!permissions) return null;
  const isAdmin = permissions.any(
    [PermissionFlagsBits.Administrator, PermissionFlagsBits.ManageGuild],
    false,
  );
  return { isPlatformAdmin: isAdmin, isGuest: false };
}
