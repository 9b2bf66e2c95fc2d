// What each subcommand handler receives, and the admin check they all share.
import type { Account } from '../billing/accounts.ts';
import { isBillingAdmin } from '../billing/permissions.ts';
import type { BillingDeps, CommandRequest, Reply } from './types.ts';

export interface CommandContext {
  deps: BillingDeps;
  request: CommandRequest;
  account: Account;
}

/** True when the requester is a billing admin at this moment. */
export function requesterIsAdmin({ deps, request }: Pick<CommandContext, 'deps' | 'request'>) {
  return isBillingAdmin(request.actor, request.roles, deps.extraAdminIds);
}

/** The answer to a non-admin asking for an admin action: what they cannot do and who can. */
export function adminOnlyReply(request: CommandRequest, action: string): Reply {
  const unknownRole =
    request.roles === null ? ' (your role could not be confirmed just now; try again later)' : '';
  return {
    outcome: 'denied',
    text: `Only billing admins can ${action}.`,
    blocks: [
      { type: 'text', text: `Only billing admins can ${action}${unknownRole}.` },
      { type: 'text', text: request.adminsDescription },
    ],
  };
}
