// `npm run db:migrate`: applies pending migrations to the configured database and exits.
// The bot does the same at start-up; this is for deploy pipelines that migrate first.
import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase } from './database.ts';

try {
  const config = loadConfig();
  const database = await openDatabase(config.database);
  const applied = database.appliedMigrations;
  await database.close();
  process.stdout.write(
    applied.length === 0
      ? 'The database is up to date.\n'
      : `Applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}\n`).join('')}`,
  );
} catch (error) {
  process.stderr.write(
    `${error instanceof ConfigError ? '' : 'Migration failed: '}${(error as Error).message}\n`,
  );
  process.exitCode = 1;
}
