// Applies prisma/migrations at start-up, without the Prisma CLI (which cannot migrate PostgreSQL
// through its driver adapter here, and must never be shelled out to by the bot). Each migration is
// recorded in Prisma's own `_prisma_migrations` table, so `prisma migrate status` stays truthful.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The little a migrator needs from a database connection. */
export interface SqlSession {
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements. */
  exec(script: string): Promise<void>;
}

/** A migration folder found on disk. */
export interface MigrationFile {
  name: string;
  sql: string;
  /** SHA-256 of the file, hex: the checksum Prisma records. */
  checksum: string;
}

/** Thrown when the database's migration history cannot be reconciled with the files. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

// Found from this file, not from the working directory: src/db/ (run through tsx) and dist/db/
// (the compiled build, and the container image) sit at the same depth below the package root, so
// both reach its prisma/migrations whatever directory the bot is started from.
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

// The advisory lock key Prisma Migrate itself takes, so the CLI and any replica exclude each other.
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

const CREATE_HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Reads the migration folders in the order Prisma applies them (by name). */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies every pending migration, each in its own transaction, under Prisma's advisory lock.
 * @returns the names of the migrations applied now.
 * @throws {MigrationError} when an applied migration was edited afterwards or once failed.
 */
export async function applyMigrations(
  session: SqlSession,
  migrations: MigrationFile[],
): Promise<string[]> {
  await session.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
  try {
    await session.exec(CREATE_HISTORY_TABLE);
    const history = await session.query<HistoryRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const pending = migrations.filter((migration) => isPending(migration, history));

    for (const migration of pending) await applyOne(session, migration);
    return pending.map((migration) => migration.name);
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
  }
}

function isPending(migration: MigrationFile, history: HistoryRow[]): boolean {
  const rows = history.filter(
    (row) => row.migration_name === migration.name && !row.rolled_back_at,
  );
  if (rows.length === 0) return true;

  const applied = rows.find((row) => row.finished_at !== null);
  if (!applied) {
    throw new MigrationError(
      `Migration ${migration.name} started earlier and did not finish. Inspect the database, ` +
        'fix it by hand, then mark it with `npx prisma migrate resolve`.',
    );
  }
  if (applied.checksum !== migration.checksum) {
    throw new MigrationError(
      `Migration ${migration.name} was changed after it was applied. Restore the original file ` +
        'and put the change in a new migration (npm run db:new-migration -- <name>).',
    );
  }
  return false;
}

async function applyOne(session: SqlSession, migration: MigrationFile): Promise<void> {
  // PostgreSQL runs DDL inside transactions: a failing migration leaves no half-built schema.
  await session.exec('BEGIN');
  try {
    await session.exec(migration.sql);
    await session.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await session.exec('COMMIT');
  } catch (error) {
    await session.exec('ROLLBACK');
    throw new MigrationError(`Migration ${migration.name} failed and was rolled back.`, {
      cause: error,
    });
  }
}
