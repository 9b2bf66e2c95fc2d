// The errors of the bot's JSON API: a stable code, a message that says what to fix, and one
// table from codes to HTTP statuses. Stack traces and internals never reach an answer.
import type { ErrorRequestHandler, Response } from 'express';
import { newReferenceId } from '../billing/errors.ts';
import type { Logger } from '../logger.ts';

export type ApiErrorCode =
  | 'unauthorized'
  | 'invalid_request'
  | 'invalid_record'
  | 'unknown_account'
  | 'idempotency_conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'internal';

const STATUS: Record<ApiErrorCode, number> = {
  unauthorized: 401,
  invalid_request: 400,
  invalid_record: 400,
  unknown_account: 404,
  idempotency_conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
};

/** A refusal to answer with `code`; `details` are extra JSON fields (which record, and why). */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function sendApiError(response: Response, error: ApiError): void {
  response
    .status(STATUS[error.code])
    .json({ error: { code: error.code, message: error.message, ...error.details } });
}

/** The API's last handler: known refusals as they are, parser failures, anything else hidden. */
export function apiErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _request, response, _next) => {
    if (error instanceof ApiError) return sendApiError(response, error);

    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      return sendApiError(
        response,
        new ApiError('payload_too_large', 'The body is larger than 1 MB; send fewer records.'),
      );
    }
    // A malformed %-escape in the path reaches here as a 400 from Express itself.
    if ((error as { status?: number }).status === 400 && !type) {
      return sendApiError(response, new ApiError('invalid_request', 'The URL is malformed.'));
    }
    if (type === 'entity.parse.failed' || type === 'encoding.unsupported') {
      return sendApiError(response, new ApiError('invalid_request', 'The body is not valid JSON.'));
    }

    const reference = newReferenceId();
    logger.error({ err: error, reference }, 'usage API request failed');
    sendApiError(
      response,
      new ApiError('internal', `Something went wrong on our side (reference ${reference}).`),
    );
  };
}
