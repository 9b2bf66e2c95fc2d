// `/billing edit`: billing admins keep the billing profile valid for invoices. Opening the form
// and submitting it are two moments; admin status is checked at both.

import { findOrCreateAccount } from '../billing/accounts.ts';
import type { Place } from '../billing/actors.ts';
import type { ProfileInput } from '../billing/profile.ts';
import { loadProfile, saveProfile } from '../billing/profile-store.ts';
import { adminOnlyReply, type CommandContext, requesterIsAdmin } from './context.ts';
import { profileFields } from './info.ts';
import type { BillingDeps, CommandRequest, CommandResult, ProfileSubmitResult } from './types.ts';

/** Asks the adapter to show the form, prefilled with the saved profile. */
export async function editCommand(context: CommandContext): Promise<CommandResult> {
  const { deps, request, account } = context;
  if (!requesterIsAdmin(context)) {
    return { type: 'reply', reply: adminOnlyReply(request, 'edit billing details') };
  }
  const profile = await loadProfile(deps.prisma, account.id);
  return { type: 'profile-form', current: profile ?? {} };
}

/**
 * Validates and saves a submitted form. The requester's role is checked again: it may have
 * changed since the form opened, and a submission can be replayed.
 */
export async function submitProfile(
  deps: BillingDeps,
  request: CommandRequest,
  input: ProfileInput,
): Promise<ProfileSubmitResult> {
  if (!requesterIsAdmin({ deps, request })) {
    return { type: 'reply', reply: adminOnlyReply(request, 'edit billing details') };
  }

  const account = await findOrCreateAccount(deps.prisma, request.workspace, deps.currency);
  const place: Place = { workspace: request.workspace, channelId: request.channelId };
  const result = await saveProfile(deps.prisma, account.id, input, request.actor, place);
  if (!result.ok) return { type: 'profile-invalid', errors: result.errors };

  const text = result.changed ? 'Billing details saved.' : 'Billing details unchanged.';
  return {
    type: 'reply',
    reply: {
      outcome: 'ok',
      text,
      blocks: [
        { type: 'text', text },
        { type: 'fields', fields: profileFields(result.profile) },
      ],
    },
  };
}
