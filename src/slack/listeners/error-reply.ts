// One way every Slack listener fails: the user gets a short message with a reference id, the
// log gets the details. Nothing is swallowed.
import { reportFailure } from '../../commands/failures.ts';
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
    const { message, reference } = reportFailure(logger, fields, error, 'Slack request failed');
    await tell(message).catch((tellError: unknown) =>
      logger.error({ err: tellError, reference }, 'could not tell the user about a failure'),
    );
  }
}
