// The composition root: configuration, database, adapters, shutdown. Wiring only.

import { type ComposedBot, composeBot } from './compose.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
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

  const database = await openDatabaseOrExit(config, logger);
  const bot = composeBot(config, database, logger, { onInterrupt: () => void shutdown('SIGINT') });
  await startOrExit(config, bot, database, logger);

  let stopping: Promise<void> | null = null;
  function shutdown(reason: string) {
    stopping ??= stop(reason, bot, database, logger);
    return stopping;
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await bot.adapter.done;
  await shutdown('end of input');
}

async function stop(
  reason: string,
  bot: ComposedBot,
  database: Database,
  logger: Logger,
): Promise<void> {
  logger.info({ reason }, 'shutting down');
  // Work in flight finishes (bounded) before the database closes under it.
  const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
  await Promise.race([bot.stop(), grace]);
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

async function startOrExit(
  config: Config,
  bot: ComposedBot,
  database: Database,
  logger: Logger,
): Promise<void> {
  try {
    const port = await bot.start();
    if (port === null) return;
    logger.info(
      { port, oauth: config.slack?.oauth != null, payments: config.stripe !== null },
      bot.adapter.describe(config),
    );
  } catch (error) {
    logger.fatal({ err: error }, startFailureAdvice(config));
    await database.close();
    process.exit(1);
  }
}

function startFailureAdvice(config: Config): string {
  const advice: string[] = [];
  if (config.slack) {
    advice.push('SLACK_BOT_TOKEN (or SLACK_APP_TOKEN) and that Slack is reachable');
  }
  if (config.discord) {
    const where = config.discord.apiUrl ? ` at DISCORD_API_URL (${config.discord.apiUrl})` : '';
    advice.push(`DISCORD_TOKEN, DISCORD_APPLICATION_ID and that Discord is reachable${where}`);
  }
  advice.push('that PORT is free');
  return `could not start the bot: check ${advice.join(', ')}`;
}
