// One way every Slack listener fails: the user gets a short message with a reference id, the
// log gets the details. Nothing is swallowed.
import { chatErrorMessage, newReferenceId } from '../../billing/errors.ts';
import type { Logger } from '../../logger.ts';

/** Runs a listener body; on failure logs it and tells the user through `tell`. */
export async function answeringErrors(
  logger: Logger,
  fields: Record<string, unknown>,
  tell: (text: string) => Promise<unknown>,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    const reference = newReferenceId();
    logger.error({ err: error, reference, ...fields }, 'Slack request failed');
    await tell(chatErrorMessage(error, reference)).catch((tellError: unknown) =>
      logger.error({ err: tellError, reference }, 'could not tell the user about a failure'),
    );
  }
}
