// The billing-details form in Discord: two modals, since Discord allows five inputs per modal
// (and discord.js does not check it) while the profile has eight fields. Each input's custom id
// is the profile field's name, so problems map straight back to fields.
import {
  type APIModalInteractionResponseCallbackData,
  ComponentType,
  type ModalSubmitInteraction,
  TextInputStyle,
} from 'discord.js';
import { PROFILE_FIELDS, type ProfileField, type ProfileInput } from '../billing/profile.ts';
import { clip, DISCORD_LIMITS } from './render.ts';

/** Discord's limit of inputs in one modal. */
const MAX_INPUTS_PER_MODAL = 5;

export type FormPart = 1 | 2;

/** The fields of each part: names and address first, then what depends on the country. */
export const FORM_PARTS: Record<FormPart, readonly ProfileField[]> = {
  1: ['legalName', 'addressLine1', 'addressLine2', 'city', 'country'],
  2: ['region', 'postalCode', 'taxId'],
};

const MODAL_PREFIX = 'billing:profile:';

/** What a submitted modal's custom id says: its part, and the draft it continues (if any). */
export interface ProfileModalId {
  part: FormPart;
  draftId: string | null;
}

/** One part of the form, prefilled with `values`; `draftId` names the draft it adds to. */
export function profileModal(
  part: FormPart,
  values: ProfileInput,
  draftId: string | null,
): APIModalInteractionResponseCallbackData {
  const fields = FORM_PARTS[part];
  if (fields.length > MAX_INPUTS_PER_MODAL) throw new Error('a Discord modal takes five inputs');
  return {
    custom_id: `${MODAL_PREFIX}${part}:${draftId ?? 'new'}`,
    title: `Billing details (${part} of 2)`,
    components: fields.map((field) => labelledInput(field, values[field] ?? '')),
  };
}

/** Reads a submitted modal's custom id; null when it is not one of the profile modals. */
export function readProfileModalId(customId: string): ProfileModalId | null {
  const match = /^billing:profile:([12]):(new|[0-9a-f-]{36})$/.exec(customId);
  if (!match?.[1] || !match[2]) return null;
  return {
    part: Number(match[1]) as FormPart,
    draftId: match[2] === 'new' ? null : match[2],
  };
}

/** The values typed into one part; inputs left empty come back as empty text. */
export function readProfileModal(
  interaction: ModalSubmitInteraction,
  part: FormPart,
): ProfileInput {
  const values: ProfileInput = {};
  for (const field of FORM_PARTS[part]) {
    const value = interaction.fields.fields.get(field);
    values[field] = value && 'value' in value ? String(value.value) : '';
  }
  return values;
}

/** The part of the form that holds a field. */
export function partOf(field: ProfileField): FormPart {
  return FORM_PARTS[1].includes(field) ? 1 : 2;
}

function labelledInput(field: ProfileField, value: string) {
  const spec = PROFILE_FIELDS.find((candidate) => candidate.key === field);
  if (!spec) throw new Error(`unknown profile field ${field}`);
  return {
    type: ComponentType.Label as const,
    label: clip(spec.label.replace(' (optional)', ''), DISCORD_LIMITS.inputLabel),
    description: clip(spec.hint, DISCORD_LIMITS.labelDescription),
    component: {
      type: ComponentType.TextInput as const,
      custom_id: field,
      style: TextInputStyle.Short,
      // Only what every country needs is required here; the rest is checked on submission.
      required: spec.required === true,
      max_length: spec.maxLength,
      ...(value ? { value: value.slice(0, spec.maxLength) } : {}),
    },
  };
}
