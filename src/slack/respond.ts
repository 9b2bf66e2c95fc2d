// Posting to a `response_url` kept in a modal's private_metadata. Bolt offers `respond` only for
// payloads that carry the URL themselves, which a view submission does not.
import type { RespondArguments } from '@slack/bolt';

const SLACK_HOOKS_ORIGIN = 'https://hooks.slack.com';

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
