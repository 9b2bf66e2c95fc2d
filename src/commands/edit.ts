// `/billing edit`: billing admins keep the billing profile valid for invoices. Opening the form
// and submitting it are two moments; admin status is checked at both.

import type { Account } from '../billing/accounts.ts';
import { findOrCreateAccount } from '../billing/accounts.ts';
import type { Place } from '../billing/actors.ts';
import {
  type BillingProfileFields,
  type ProfileField,
  type ProfileInput,
  validateProfile,
} from '../billing/profile.ts';
import { loadProfile, saveProfile } from '../billing/profile-store.ts';
import { adminOnlyReply, type CommandContext, requesterIsAdmin } from './context.ts';
import { profileFields } from './info.ts';
import type {
  BillingDeps,
  CommandRequest,
  CommandResult,
  PaymentProfileProblems,
  ProfileSubmitResult,
} from './types.ts';

// Slack wants an answer to a form submission within 3 seconds; a slower payment provider does
// not hold the save up, and gets the details again at the next top-up.
const PAYMENTS_CHECK_DEADLINE_MS = 2_000;

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
  const validation = validateProfile(input);
  if (!validation.ok) return { type: 'profile-invalid', errors: validation.errors };
  // The payment provider sees the details first: a tax id it refuses is a problem on the form,
  // and nothing is saved, as with any other invalid field.
  const refused = await pushToPayments(deps, account, validation.profile);
  if (Object.keys(refused).length > 0) return { type: 'profile-invalid', errors: refused };

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

async function pushToPayments(
  deps: BillingDeps,
  account: Account,
  profile: BillingProfileFields,
): Promise<PaymentProfileProblems> {
  if (!deps.payments) return {};
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<PaymentProfileProblems>((resolve) => {
    timer = setTimeout(() => resolve({}), PAYMENTS_CHECK_DEADLINE_MS);
  });
  try {
    return await Promise.race([deps.payments.syncProfile(account, profile), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The problems of some fields of a form shown in parts, judged together with the rest of the
 * values typed so far (a postal code is checked against the country). Saves nothing.
 */
export function problemsInFields(
  input: ProfileInput,
  fields: readonly ProfileField[],
): Partial<Record<ProfileField, string>> {
  const validation = validateProfile(input);
  if (validation.ok) return {};
  const problems: Partial<Record<ProfileField, string>> = {};
  for (const field of fields) {
    const problem = validation.errors[field];
    if (problem) problems[field] = problem;
  }
  return problems;
}
