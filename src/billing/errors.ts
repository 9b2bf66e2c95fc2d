// One error base for the whole bot: a stable code, a message for operators, and a separate
// message that is safe to show in chat.

/** Stable codes; adapters map them to chat replies and HTTP statuses. */
export type ErrorCode =
  | 'invalid_amount'
  | 'invalid_profile'
  | 'not_billing_admin'
  | 'unknown_account'
  | 'payments_not_configured'
  | 'payment_refused'
  | 'payments_unavailable'
  | 'database_unavailable'
  | 'internal';

/** A failure with a message for operators (`message`) and one for chat users (`userMessage`). */
export class BillingError extends Error {
  override name = 'BillingError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A short id that a user can quote and an operator can find in the log. */
export function newReferenceId(): string {
  return Math.random().toString(36).slice(2, 8).toUpperCase();
}

const INPUT_ERRORS: ReadonlySet<ErrorCode> = new Set([
  'invalid_amount',
  'invalid_profile',
  'not_billing_admin',
]);

/**
 * What a chat user is told when a command fails: a BillingError's own safe message, anything
 * else a generic one; both carry the reference that the log line has too.
 */
export function chatErrorMessage(error: unknown, reference: string): string {
  if (error instanceof BillingError) {
    // Input to fix needs no reference: nothing went wrong on our side.
    if (INPUT_ERRORS.has(error.code)) return error.userMessage;
    return `${error.userMessage} (reference ${reference})`;
  }
  return (
    `Something went wrong (reference ${reference}). Nothing was changed by the failed step; ` +
    'try again, or give the reference to whoever runs this bot.'
  );
}
