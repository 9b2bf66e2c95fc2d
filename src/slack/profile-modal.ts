// The billing-details modal: eight inputs whose block ids are the profile field names, so that
// validation errors map straight onto `response_action: errors`.
import type { InputBlock, ModalView, Option, PlainTextOption, StaticSelect } from '@slack/types';
import { listCountries } from '../billing/country.ts';
import { PROFILE_FIELDS, type ProfileField, type ProfileInput } from '../billing/profile.ts';
import { clip, SLACK_LIMITS } from './render.ts';

export const PROFILE_MODAL_CALLBACK_ID = 'billing_profile';
const INPUT_ACTION_ID = 'value';

/** Where to confirm a save: the command's response_url, or the user's DM when opened from Home. */
export interface ProfileModalOrigin {
  responseUrl: string | null;
  channelId: string | null;
}

/** The modal, prefilled with the saved (or last typed) values. */
export function profileModal(current: ProfileInput, origin: ProfileModalOrigin): ModalView {
  const metadata = JSON.stringify(origin);
  return {
    type: 'modal',
    callback_id: PROFILE_MODAL_CALLBACK_ID,
    title: { type: 'plain_text', text: 'Billing details' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    // Slack refuses metadata over 3,000 characters; a response_url is far shorter.
    private_metadata: metadata.length <= SLACK_LIMITS.privateMetadata ? metadata : '{}',
    blocks: [
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'Printed on invoices. Only billing admins can change them.' },
        ],
      },
      ...PROFILE_FIELDS.map((field) => inputBlock(field, current[field.key] ?? '')),
    ],
  };
}

/** Reads the submitted values back into raw profile input. */
export function readProfileSubmission(
  values: Record<
    string,
    Record<string, { value?: string | null; selected_option?: Option | null }>
  >,
): ProfileInput {
  const input: ProfileInput = {};
  for (const field of PROFILE_FIELDS) {
    const state = values[field.key]?.[INPUT_ACTION_ID];
    input[field.key] = state?.selected_option?.value ?? state?.value ?? null;
  }
  return input;
}

/** The modal's origin from `private_metadata`, tolerating anything malformed. */
export function readProfileOrigin(privateMetadata: string | undefined): ProfileModalOrigin {
  try {
    const parsed = JSON.parse(privateMetadata || '{}') as Partial<ProfileModalOrigin>;
    const responseUrl = typeof parsed.responseUrl === 'string' ? parsed.responseUrl : null;
    const channelId = typeof parsed.channelId === 'string' ? parsed.channelId : null;
    return { responseUrl, channelId };
  } catch {
    return { responseUrl: null, channelId: null };
  }
}

function inputBlock(field: (typeof PROFILE_FIELDS)[number], value: string): InputBlock {
  const label = { type: 'plain_text' as const, text: field.label.replace(' (optional)', '') };
  const hint = { type: 'plain_text' as const, text: clip(field.hint, 150) };
  const optional = field.required !== true;
  if (field.key === 'country') {
    return {
      type: 'input',
      block_id: field.key,
      label,
      hint,
      optional,
      element: countrySelect(value),
    };
  }
  return {
    type: 'input',
    block_id: field.key,
    label,
    hint,
    optional,
    element: {
      type: 'plain_text_input',
      action_id: INPUT_ACTION_ID,
      max_length: field.maxLength,
      ...(value ? { initial_value: value } : {}),
    },
  };
}

// Slack caps a static select at 100 options; 250 countries fit as option groups by initial.
function countrySelect(currentCode: string): StaticSelect {
  const groups = new Map<string, PlainTextOption[]>();
  let initial: PlainTextOption | undefined;
  for (const country of listCountries()) {
    const option: PlainTextOption = {
      text: { type: 'plain_text', text: clip(country.name, 75) },
      value: country.code,
    };
    if (country.code === currentCode.toUpperCase()) initial = option;
    const letter = country.name.normalize('NFD').charAt(0).toUpperCase();
    groups.set(letter, [...(groups.get(letter) ?? []), option]);
  }

  const optionGroups = [...groups].map(([letter, options]) => ({
    label: { type: 'plain_text' as const, text: letter },
    options,
  }));
  return {
    type: 'static_select',
    action_id: INPUT_ACTION_ID,
    placeholder: { type: 'plain_text', text: 'Type to search' },
    option_groups: optionGroups,
    ...(initial ? { initial_option: initial } : {}),
  };
}

/** The field of each block id, for errors: every profile field is a block of the modal. */
export const PROFILE_BLOCK_IDS: readonly ProfileField[] = PROFILE_FIELDS.map((field) => field.key);
