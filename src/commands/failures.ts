// How a failed chat request is reported, the same on every platform: the details with a short
// reference id in the log, and a sentence carrying that reference for the user.
import { chatErrorMessage, newReferenceId } from '../billing/errors.ts';
import type { Logger } from '../logger.ts';

/** Logs a failure and returns what to tell the user, plus the reference both carry. */
export function reportFailure(
  logger: Logger,
  fields: Record<string, unknown>,
  error: unknown,
  what: string,
): { message: string; reference: string } {
  const reference = newReferenceId();
  logger.error({ err: error, reference, ...fields }, what);
  return { message: chatErrorMessage(error, reference), reference };
}
