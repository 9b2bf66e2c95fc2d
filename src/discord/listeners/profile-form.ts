// The two-part billing-details form. Discord answers a modal with a message, never with a second
// modal, so part 1 ends with a "Continue (2 of 2)" button; part 1 waits in a draft (15 minutes)
// and nothing is saved until the whole form validates. Problems are listed per field with a
// button that reopens the form as typed. Admin status is checked at every step.
import {
  type ButtonInteraction,
  ButtonStyle,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';
import { findAccount } from '../../billing/accounts.ts';
import { PROFILE_FIELDS, type ProfileField, type ProfileInput } from '../../billing/profile.ts';
import {
  createProfileDraft,
  deleteProfileDraft,
  loadProfileDraft,
  updateProfileDraft,
} from '../../billing/profile-drafts.ts';
import { loadProfile } from '../../billing/profile-store.ts';
import { adminOnlyReply, requesterIsAdmin } from '../../commands/context.ts';
import { problemsInFields, submitProfile } from '../../commands/edit.ts';
import type { CommandRequest } from '../../commands/types.ts';
import { type DiscordDeps, draftOwnerOf, requestOf, SERVER_ONLY_TEXT } from '../context.ts';
import {
  FORM_PARTS,
  type FormPart,
  type ProfileModalId,
  partOf,
  profileModal,
  readProfileModal,
} from '../profile-modals.ts';
import {
  actionButton,
  BUTTON_IDS,
  buttonRows,
  type DiscordMessage,
  textMessage,
  toDiscordMessage,
} from '../render.ts';
import { answeringErrors, answerPrivately, deferPrivately } from './answering.ts';

const PART_BUTTON_PREFIX = 'billing:profile-part:';

/** The custom id of the button that opens one part of the form of a draft. */
export function partButtonId(part: FormPart, draftId: string): string {
  return `${PART_BUTTON_PREFIX}${part}:${draftId}`;
}

/** Reads a part button's custom id; null when it is not one. */
export function readPartButtonId(customId: string): { part: FormPart; draftId: string } | null {
  const match = /^billing:profile-part:([12]):([0-9a-f-]{36})$/.exec(customId);
  if (!match?.[1] || !match[2]) return null;
  return { part: Number(match[1]) as FormPart, draftId: match[2] };
}

/** A submitted part of the form. */
export async function onProfileModal(
  deps: DiscordDeps,
  interaction: ModalSubmitInteraction,
  modal: ProfileModalId,
): Promise<void> {
  const fields = { action: `profile-part-${modal.part}`, user_id: interaction.user.id };
  await answeringErrors(deps.logger, fields, interaction, async () => {
    const request = await adminRequest(deps, interaction);
    if (!request) return;
    if (modal.part === 1) await submitPartOne(deps, interaction, request, modal.draftId);
    else await submitPartTwo(deps, interaction, request, modal.draftId ?? '');
  });
}

/** A click on "Continue (2 of 2)" or on "Fix…": the part of the form, as typed so far. */
export async function onPartButton(
  deps: DiscordDeps,
  interaction: ButtonInteraction,
  button: { part: FormPart; draftId: string },
): Promise<void> {
  const fields = { action: `open-profile-part-${button.part}`, user_id: interaction.user.id };
  await answeringErrors(deps.logger, fields, interaction, async () => {
    const request = await adminRequest(deps, interaction);
    if (!request) return;
    const owner = draftOwnerOf(request);
    const values = await loadProfileDraft(deps.billing.prisma, button.draftId, owner, now(deps));
    if (!values) return answerPrivately(interaction, expiredMessage());
    await interaction.showModal(profileModal(button.part, values, button.draftId));
  });
}

async function submitPartOne(
  deps: DiscordDeps,
  interaction: ModalSubmitInteraction,
  request: CommandRequest,
  draftId: string | null,
): Promise<void> {
  const { prisma } = deps.billing;
  const owner = draftOwnerOf(request);
  const earlier = draftId ? await loadProfileDraft(prisma, draftId, owner, now(deps)) : null;
  const values = { ...(earlier ?? (await savedProfile(deps, request))) };
  Object.assign(values, readProfileModal(interaction, 1));

  const kept =
    draftId && earlier && (await updateProfileDraft(prisma, draftId, owner, values, now(deps)));
  const id = kept ? draftId : await createProfileDraft(prisma, owner, values, now(deps));
  const problems = problemsInFields(values, FORM_PARTS[1]);
  if (Object.keys(problems).length > 0) {
    return answerPrivately(interaction, problemsMessage(problems, id));
  }

  const text =
    'Part 1 of 2 is kept for 15 minutes. Nothing is saved until part 2 is in: continue with ' +
    'the region, postal code and tax ID.';
  const next = actionButton(partButtonId(2, id), 'Continue (2 of 2)', ButtonStyle.Primary);
  await answerPrivately(interaction, { ...textMessage(text), components: buttonRows([next]) });
}

async function submitPartTwo(
  deps: DiscordDeps,
  interaction: ModalSubmitInteraction,
  request: CommandRequest,
  draftId: string,
): Promise<void> {
  const { prisma } = deps.billing;
  const owner = draftOwnerOf(request);
  const earlier = await loadProfileDraft(prisma, draftId, owner, now(deps));
  if (!earlier) return answerPrivately(interaction, expiredMessage());

  // Saving asks Stripe about the tax ID, which can take longer than Discord's 3 seconds.
  await deferPrivately(interaction);
  const values: ProfileInput = { ...earlier, ...readProfileModal(interaction, 2) };
  await updateProfileDraft(prisma, draftId, owner, values, now(deps));
  const result = await submitProfile(deps.billing, request, values);

  if (result.type === 'profile-invalid') {
    return answerPrivately(interaction, problemsMessage(result.errors, draftId));
  }
  if (result.reply.outcome === 'denied') {
    return answerPrivately(interaction, textMessage(`${result.reply.text} Nothing was saved.`));
  }
  await deleteProfileDraft(prisma, draftId);
  await answerPrivately(interaction, toDiscordMessage(result.reply));
}

// The request of an admin in a server; anyone else is told why, and null comes back.
async function adminRequest(
  deps: DiscordDeps,
  interaction: RepliableInteraction,
): Promise<CommandRequest | null> {
  const request = requestOf(deps, interaction, 'edit');
  if (!request) {
    await answerPrivately(interaction, textMessage(SERVER_ONLY_TEXT));
    return null;
  }
  if (!requesterIsAdmin({ deps: deps.billing, request })) {
    const denial = adminOnlyReply(request, 'edit billing details');
    await answerPrivately(interaction, toDiscordMessage(denial));
    return null;
  }
  return request;
}

async function savedProfile(deps: DiscordDeps, request: CommandRequest): Promise<ProfileInput> {
  const account = await findAccount(deps.billing.prisma, request.workspace);
  return (account && (await loadProfile(deps.billing.prisma, account.id))) ?? {};
}

// Each problem on its own line under its field's label, and a button back to the first one.
function problemsMessage(
  problems: Partial<Record<ProfileField, string>>,
  draftId: string,
): DiscordMessage {
  const listed = PROFILE_FIELDS.filter((field) => problems[field.key]);
  const lines = listed.map((field) => `• ${field.label}: ${problems[field.key]}`);
  const firstPart = partOf(listed[0]?.key ?? 'legalName');
  const text = `Nothing was saved. Please fix:\n${lines.join('\n')}`;
  const fix = actionButton(
    partButtonId(firstPart, draftId),
    `Fix billing details (${firstPart} of 2)`,
    ButtonStyle.Primary,
  );
  return { ...textMessage(text), components: buttonRows([fix]) };
}

function expiredMessage(): DiscordMessage {
  const text =
    'The first part of this form expired after 15 minutes, or was already used. Nothing was ' +
    'saved; start again.';
  const again = actionButton(BUTTON_IDS['edit-profile'], 'Edit billing details');
  return { ...textMessage(text), components: buttonRows([again]) };
}

function now(deps: DiscordDeps): Date {
  return deps.billing.now();
}
