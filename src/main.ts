// The composition root: configuration, database, adapters, shutdown. Wiring only.

import type { BillingDeps } from './commands/types.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { startConsoleAdapter } from './console/console-adapter.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { type Database, openDatabase } from './db/database.ts';
import { MigrationError } from './db/migrate.ts';
import { createHttpServer } from './http/server.ts';
import { createLogger, type Logger } from './logger.ts';
import { createSlackAdapter } from './slack/slack-app.ts';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const chatConfigured = config.slack !== null || config.discord !== null;
  // In console mode stdout is the conversation: logs go to stderr.
  const logger = createLogger(config.logLevel, chatConfigured ? 1 : 2);

  if (config.discord) {
    logger.fatal(
      'DISCORD_TOKEN is set, but this version of billing-bot has no Discord adapter yet. ' +
        'Unset DISCORD_TOKEN and DISCORD_APPLICATION_ID.',
    );
    process.exit(1);
  }

  const database = await openDatabaseOrExit(config, logger);
  const deps: BillingDeps = {
    prisma: database.prisma,
    currency: config.currency,
    topUp: config.topUp,
    extraAdminIds: config.billingAdminIds,
    now: () => new Date(),
  };

  const adapter = config.slack
    ? await startServer(config, config.slack, deps, database, logger)
    : startConsole(config, deps, logger, () => void shutdown('SIGINT'));

  let stopping: Promise<void> | null = null;
  function shutdown(reason: string) {
    stopping ??= stop(reason, adapter, database, logger);
    return stopping;
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await adapter.done;
  await shutdown('end of input');
}

/** What main needs of a running adapter: when it ends by itself, and how to stop it. */
interface RunningAdapter {
  done: Promise<void>;
  stop(): Promise<void>;
}

function startConsole(
  config: Config,
  deps: BillingDeps,
  logger: Logger,
  onInterrupt: () => void,
): RunningAdapter {
  const adapter = startConsoleAdapter(deps, config, logger, onInterrupt);
  return {
    done: adapter.done,
    async stop() {
      adapter.stop();
      await adapter.done;
    },
  };
}

async function startServer(
  config: Config,
  slack: NonNullable<Config['slack']>,
  deps: BillingDeps,
  database: Database,
  logger: Logger,
): Promise<RunningAdapter> {
  const http = createHttpServer();
  const slackAdapter = createSlackAdapter(slack, deps, logger, http.app);
  try {
    await slackAdapter.start();
    const port = await http.listen(config.port);
    const mode = slack.appToken ? 'Socket Mode' : `HTTP mode at ${config.publicUrl}/slack/events`;
    logger.info({ port, oauth: slack.oauth !== null }, `Slack app running (${mode})`);
  } catch (error) {
    logger.fatal(
      { err: error },
      'could not start the Slack app: check SLACK_BOT_TOKEN (or SLACK_APP_TOKEN), that Slack is ' +
        'reachable, and that PORT is free',
    );
    await database.close();
    process.exit(1);
  }

  // A server runs until a signal stops it.
  return { done: new Promise<void>(() => {}), stop: () => stopServer(http, slackAdapter) };
}

async function stopServer(
  http: { close(): Promise<void> },
  slack: { stop(): Promise<void> },
): Promise<void> {
  await http.close();
  await slack.stop();
}

async function stop(
  reason: string,
  adapter: RunningAdapter,
  database: Database,
  logger: Logger,
): Promise<void> {
  logger.info({ reason }, 'shutting down');
  // Work in flight finishes (bounded) before the database closes under it.
  const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
  await Promise.race([adapter.stop(), grace]);
  await database.close();
  logger.info('stopped; the database was closed cleanly');
  process.exit(0);
}

function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nFix these settings and start again.\n`);
    process.exit(1);
  }
}

async function openDatabaseOrExit(config: Config, logger: Logger): Promise<Database> {
  try {
    const database = await openDatabase(config.database, {
      onLockLost: (error) => {
        logger.fatal(
          { err: error },
          'lost the lock on the data directory; stopping to protect the data',
        );
        process.exit(1);
      },
    });
    logger.info(
      { database: database.kind, migrations_applied: database.appliedMigrations.length },
      'database ready',
    );
    return database;
  } catch (error) {
    if (error instanceof DataDirLockedError || error instanceof MigrationError) {
      logger.fatal(error.message);
      process.exit(1);
    }
    logger.fatal(
      { err: error },
      'cannot open the database: check DATABASE_URL and that the server is running',
    );
    process.exit(1);
  }
}

await main();
