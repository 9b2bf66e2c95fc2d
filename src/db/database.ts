// Opens the bot's database: embedded PGlite by default, PostgreSQL when configured. Pending
// migrations are applied before the Prisma client is handed out.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseConfig } from '../config.ts';
import { PrismaClient } from '../generated/prisma/client.ts';
import { type DataDirLock, lockDataDir } from './data-dir-lock.ts';
import { applyMigrations, type MigrationFile, readMigrations } from './migrate.ts';
import { createPostgresPool, POOL_OPTIONS } from './postgres-pool.ts';

export type { PrismaClient } from '../generated/prisma/client.ts';

/** An open database: the Prisma client and how to close everything behind it. */
export interface Database {
  readonly prisma: PrismaClient;
  readonly kind: DatabaseConfig['kind'];
  /** Names of the migrations applied while opening. */
  readonly appliedMigrations: string[];
  close(): Promise<void>;
}

/** Hooks for what the database layer cannot decide alone. */
export interface OpenOptions {
  /** Called when the data directory lock is lost while running (the process should stop). */
  onLockLost?: (error: Error) => void;
  migrations?: MigrationFile[];
}

/**
 * Opens the configured database and applies pending migrations.
 * @throws {DataDirLockedError} when another process holds the PGlite data directory.
 * @throws {MigrationError} when the migration history does not match the files.
 */
export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}) {
  const migrations = options.migrations ?? (await readMigrations());
  if (config.kind === 'postgres') return openPostgres(config.url, migrations);
  return openPglite(config, migrations, options.onLockLost ?? rethrow);
}

async function openPglite(
  config: Exclude<DatabaseConfig, { kind: 'postgres' }>,
  migrations: MigrationFile[],
  onLockLost: (error: Error) => void,
): Promise<Database> {
  let lock: DataDirLock | null = null;
  if (config.kind === 'pglite') lock = lockDataDir(config.dataDir, onLockLost);

  try {
    const pglite = new PGlite(lock?.dataDir);
    const session = {
      query: async <Row>(sql: string, params?: unknown[]) =>
        (await pglite.query<Row>(sql, params)).rows,
      exec: async (script: string) => void (await pglite.exec(script)),
    };
    const appliedMigrations = await applyMigrations(session, migrations);
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });

    return {
      prisma,
      kind: config.kind,
      appliedMigrations,
      async close() {
        await prisma.$disconnect();
        await pglite.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function openPostgres(url: string, migrations: MigrationFile[]): Promise<Database> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: POOL_OPTIONS.connectionTimeoutMillis,
  });
  await client.connect();
  let appliedMigrations: string[];
  try {
    const session = {
      query: async <Row>(sql: string, params?: unknown[]) =>
        (await client.query(sql, params)).rows as Row[],
      exec: async (script: string) => void (await client.query(script)),
    };
    appliedMigrations = await applyMigrations(session, migrations);
  } finally {
    await client.end();
  }

  const pool = createPostgresPool(url);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    kind: 'postgres',
    appliedMigrations,
    async close() {
      await prisma.$disconnect();
      // The adapter leaves a pool it was given open.
      await pool.end();
    },
  };
}

function rethrow(error: Error): never {
  throw error;
}
