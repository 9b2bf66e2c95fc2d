// Posting to a `response_url`: retrying Bolt's `respond`, and posting to a URL kept in a modal's
// private_metadata (Bolt offers `respond` only for payloads that carry the URL themselves, which a
// view submission does not).
import type { RespondArguments } from '@slack/bolt';

const SLACK_HOOKS_ORIGIN = 'https://hooks.slack.com';

/**
 * How the bot retries Slack: a few quick tries, for the Web API client and for `response_url`
 * posts alike. The Web API client's default retries for about half an hour, long after the
 * person who typed the command has given up.
 */
export const SLACK_RETRY_CONFIG = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3_000 };

/**
 * Wraps Bolt's `respond`, which tries once, so that a response_url answering 429 or 5xx, or not
 * reached at all, is tried again as SLACK_RETRY_CONFIG says. Without it a blip loses the answer
 * of a command that worked, and the user is told that something went wrong instead.
 */
export function retryingRespond<Message>(
  respond: (message: Message) => Promise<unknown>,
): (message: Message) => Promise<void> {
  const { retries, factor, minTimeout, maxTimeout } = SLACK_RETRY_CONFIG;
  return async (message) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await respond(message);
        return;
      } catch (error) {
        if (attempt >= retries || !isTransient(error)) throw error;
        const waitMs = Math.min(minTimeout * factor ** attempt, maxTimeout);
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  };
}

// Bolt's RespondError carries the status; fetch fails with a TypeError when nothing answered.
function isTransient(error: unknown): boolean {
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number') return status === 429 || status >= 500;
  return error instanceof TypeError;
}

/**
 * Posts a message to a response_url. Only Slack's own hooks host (or the host of a configured
 * SLACK_API_URL, for proxies and tests) is accepted, so a URL can never send data elsewhere.
 */
export async function postToResponseUrl(
  responseUrl: string,
  message: RespondArguments,
  apiUrl: string | null,
): Promise<void> {
  const allowed = [SLACK_HOOKS_ORIGIN, apiUrl ? new URL(apiUrl).origin : null];
  if (!allowed.includes(new URL(responseUrl).origin)) {
    throw new Error(
      `Refusing to post to a response_url outside Slack: ${new URL(responseUrl).origin}`,
    );
  }

  const response = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`response_url answered ${response.status}`);
}
