// Our Slack adapter running for real in the test process: configuration parsed from an
// environment, the database, Bolt's ExpressReceiver on our HTTP server, and its Web API calls
// going to a FakeSlack on 127.0.0.1. Only Slack itself is played by the test.
import type { BillingDeps } from '../../src/commands/types.ts';
import { loadConfig } from '../../src/config.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/logger.ts';
import { createSlackAdapter, type SlackAdapter } from '../../src/slack/slack-app.ts';
import type { FakeSlack } from './slack-api.ts';
import { postToSlackEndpoint, type SlackRequest } from './slack-requests.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

export interface RunningSlackBot {
  baseUrl: string;
  database: Database;
  /** The adapter itself, for tests of its own start and stop. */
  slack: SlackAdapter;
  /** Sends a request signed with the bot's signing secret. */
  send(
    request: SlackRequest,
    headers?: Record<string, string>,
  ): ReturnType<typeof postToSlackEndpoint>;
  close(): Promise<void>;
}

/** Starts the Slack adapter in HTTP mode for one workspace, on an in-memory database. */
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

  const deps: BillingDeps = {
    prisma: db.prisma,
    currency: config.currency,
    topUp: config.topUp,
    extraAdminIds: config.billingAdminIds,
    now: () => new Date(),
    payments: null,
  };
  const http = createHttpServer();
  const slack = createSlackAdapter(config.slack, deps, createLogger('silent'), http.app);
  await slack.start();
  const port = await http.listen(0);
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    database: db,
    slack,
    send: (request, headers = {}) =>
      postToSlackEndpoint(baseUrl, request, { signingSecret: SIGNING_SECRET, headers }),
    async close() {
      await http.close();
      await slack.stop();
      if (!database) await db.close();
    },
  };
}
