// `/billing info`: admins see every field of the billing profile; members see only whether it
// is complete and who keeps it, since the legal address is not everyone's business.
import { countryName } from '../billing/country.ts';
import {
  type BillingProfileFields,
  PROFILE_FIELDS,
  profileCompleteness,
} from '../billing/profile.ts';
import { loadProfile } from '../billing/profile-store.ts';
import { type CommandContext, requesterIsAdmin } from './context.ts';
import type { Reply, ReplyBlock } from './types.ts';

export async function infoCommand(context: CommandContext): Promise<Reply> {
  const { deps, request, account } = context;
  const profile = await loadProfile(deps.prisma, account.id);
  const completeness = profileCompleteness(profile);
  const isAdmin = requesterIsAdmin(context);

  if (!profile) {
    const text = 'No billing details yet: invoices need a legal name, an address and a tax ID.';
    const next = isAdmin ? 'Add them with /billing edit.' : request.adminsDescription;
    return {
      outcome: 'ok',
      text,
      blocks: [...heading(), { type: 'text', text: `${text} ${next}` }, ...editButton(isAdmin)],
    };
  }

  if (!isAdmin) {
    const state = completeness.complete ? 'complete' : 'incomplete';
    const text = `The billing details are ${state}. Only billing admins see and change them.`;
    return {
      outcome: 'ok',
      text,
      blocks: [
        ...heading(),
        { type: 'text', text },
        { type: 'text', text: request.adminsDescription },
      ],
    };
  }

  return {
    outcome: 'ok',
    text: `Billing details of ${profile.legalName}`,
    blocks: [...heading(), { type: 'fields', fields: profileFields(profile) }, ...editButton(true)],
  };
}

/** Every field as a form labels it; empty optional fields show as a dash. */
export function profileFields(profile: BillingProfileFields) {
  return PROFILE_FIELDS.map((field) => {
    const value = profile[field.key];
    const shown = field.key === 'country' && value ? `${countryName(value)} (${value})` : value;
    return { label: field.label.replace(' (optional)', ''), value: shown || '–' };
  });
}

function heading(): ReplyBlock[] {
  return [{ type: 'heading', text: 'Billing details' }];
}

function editButton(isAdmin: boolean): ReplyBlock[] {
  if (!isAdmin) return [];
  return [{ type: 'actions', actions: [{ id: 'edit-profile', label: 'Edit billing details' }] }];
}
