// The console's billing-profile form: one prompt per field instead of a modal. Nothing is saved
// until every field is valid; after a failed check only the fields in error are asked again.
// A line starting with "/" is never a value: it leaves the form (and a command is then run).
import { PROFILE_FIELDS, type ProfileField, type ProfileInput } from '../billing/profile.ts';
import type { ProfileSubmitResult } from '../commands/types.ts';
import type { LineReader } from './line-reader.ts';
import { renderReply } from './render.ts';

const CANCEL = '/cancel';

/**
 * Prompts for the fields, submits, and repeats for the fields in error until saved or cancelled.
 * @returns a command typed instead of a value, for the adapter to run next, or null.
 */
export async function runProfileForm(
  reader: LineReader,
  current: ProfileInput,
  submit: (input: ProfileInput) => Promise<ProfileSubmitResult>,
): Promise<string | null> {
  reader.write(
    'Editing billing details. Press Enter to keep the value in [brackets], type - to clear it, ' +
      `or ${CANCEL} to stop without saving.`,
  );
  const values: ProfileInput = { ...current };
  let fieldsToAsk: readonly ProfileField[] = PROFILE_FIELDS.map((field) => field.key);

  for (;;) {
    for (const key of fieldsToAsk) {
      const answer = await askField(reader, key, values[key] ?? '');
      if (answer.left) {
        reader.write('Cancelled: nothing was saved.');
        return answer.command;
      }
      values[key] = answer.value;
    }

    const result = await submit(values);
    if (result.type === 'reply') {
      reader.write(renderReply(result.reply));
      return null;
    }
    reader.write('Not saved. Please fix:');
    for (const field of PROFILE_FIELDS) {
      const message = result.errors[field.key];
      if (message) reader.write(`  ${field.label}: ${message}`);
    }
    fieldsToAsk = PROFILE_FIELDS.map((field) => field.key).filter((key) => result.errors[key]);
  }
}

type Answer = { left: false; value: string } | { left: true; command: string | null };

/** The new value of a field (the current one kept on Enter), or leaving the form. */
async function askField(reader: LineReader, key: ProfileField, current: string): Promise<Answer> {
  const field = PROFILE_FIELDS.find((candidate) => candidate.key === key);
  const label = field?.label ?? key;
  const line = await reader.read(current ? `${label} [${current}]: ` : `${label}: `);
  const typed = line?.trim() ?? '';
  if (line === null || typed.toLowerCase() === CANCEL) return { left: true, command: null };
  if (typed.startsWith('/')) return { left: true, command: typed };

  if (typed === '') return { left: false, value: current };
  return { left: false, value: typed === '-' ? '' : line };
}
