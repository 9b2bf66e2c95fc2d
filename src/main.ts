// The composition root: configuration, database, adapters, shutdown. Wiring only.

import { type Config, ConfigError, loadConfig } from './config.ts';
import { startConsoleAdapter } from './console/console-adapter.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { type Database, openDatabase } from './db/database.ts';
import { MigrationError } from './db/migrate.ts';
import { createLogger, type Logger } from './logger.ts';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const chatConfigured = config.slack !== null || config.discord !== null;
  // In console mode stdout is the conversation: logs go to stderr.
  const logger = createLogger(config.logLevel, chatConfigured ? 1 : 2);

  if (chatConfigured) {
    logger.fatal(
      'Slack and Discord tokens are set, but this version of billing-bot has only the console ' +
        'adapter. Unset SLACK_* and DISCORD_* to use the console.',
    );
    process.exit(1);
  }

  const database = await openDatabaseOrExit(config, logger);
  const deps = {
    prisma: database.prisma,
    currency: config.currency,
    topUp: config.topUp,
    extraAdminIds: config.billingAdminIds,
    now: () => new Date(),
  };

  let stopping: Promise<void> | null = null;
  const shutdown = (reason: string) => {
    stopping ??= stop(reason, adapter, database, logger);
    return stopping;
  };
  const adapter = startConsoleAdapter(deps, config, logger, () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await adapter.done;
  await shutdown('end of input');
}

async function stop(
  reason: string,
  adapter: { stop(): void; done: Promise<void> },
  database: Database,
  logger: Logger,
): Promise<void> {
  logger.info({ reason }, 'shutting down');
  adapter.stop();
  // A command in flight finishes (bounded) before the database closes under it.
  await Promise.race([
    adapter.done,
    new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref()),
  ]);
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
