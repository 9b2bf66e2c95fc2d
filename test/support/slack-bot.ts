// The bot composed for real in the test process, exactly as main.ts composes it: configuration
// parsed from an environment, the database, Bolt's ExpressReceiver on our HTTP server, and, when
// the environment names a Stripe stand-in, payments and the Stripe webhook. Web API calls go to
// a FakeSlack on 127.0.0.1. Only Slack and Stripe themselves are played by the test.
import { type ComposedBot, composeBot } from '../../src/compose.ts';
import { loadConfig } from '../../src/config.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { createLogger } from '../../src/logger.ts';
import type { SlackAdapter } from '../../src/slack/slack-app.ts';
import type { FakeSlack } from './slack-api.ts';
import { postToSlackEndpoint, type SlackRequest } from './slack-requests.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const STRIPE_SECRET_KEY = 'sk_test_billingbot0123456789';
export const STRIPE_WEBHOOK_SECRET = 'whsec_test_billingbot0123456789';

export interface RunningSlackBot {
  baseUrl: string;
  database: Database;
  /** The adapter itself, for tests of its own start and stop. */
  slack: SlackAdapter;
  /** The whole composition: billing deps, the Stripe webhook's deps. */
  bot: ComposedBot;
  /** Sends a request signed with the bot's signing secret. */
  send(
    request: SlackRequest,
    headers?: Record<string, string>,
  ): ReturnType<typeof postToSlackEndpoint>;
  close(): Promise<void>;
}

/** The environment that points the bot's payments at a Stripe stand-in. */
export function stripeEnv(stripeUrl: string): Record<string, string> {
  return {
    STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET,
    STRIPE_API_BASE: stripeUrl,
    PUBLIC_URL: 'https://billing.example.test',
  };
}

/** Starts the bot with Slack in HTTP mode for one workspace, on an in-memory database. */
export async function startSlackBot(
  fake: Pick<FakeSlack, 'apiUrl'>,
  env: Record<string, string> = {},
  database?: Database,
): Promise<RunningSlackBot> {
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: 'memory:',
    PORT: '0',
    ...env,
  });
  if (!config.slack) throw new Error('the test environment did not configure Slack');
  const db = database ?? (await openDatabase(config.database));

  const bot = composeBot(config, db, createLogger('silent'), { onInterrupt: () => {} });
  const port = await bot.start();
  const slack = bot.adapter.slack;
  if (port === null || !slack) throw new Error('the composed bot serves no Slack over HTTP');
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    database: db,
    slack,
    bot,
    send: (request, headers = {}) =>
      postToSlackEndpoint(baseUrl, request, { signingSecret: SIGNING_SECRET, headers }),
    async close() {
      await bot.stop();
      if (!database) await db.close();
    },
  };
}
