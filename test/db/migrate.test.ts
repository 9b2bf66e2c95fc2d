import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyMigrations,
  MigrationError,
  readMigrations,
  type SqlSession,
} from '../../src/db/migrate.ts';

function pgliteSession(pglite: PGlite): SqlSession {
  return {
    query: async <Row>(sql: string, params?: unknown[]) =>
      (await pglite.query<Row>(sql, params)).rows,
    exec: async (script: string) => void (await pglite.exec(script)),
  };
}

describe('applyMigrations', () => {
  let pglite: PGlite;
  afterEach(async () => {
    await pglite?.close();
  });

  it('applies every migration once and records it the way Prisma Migrate does', async () => {
    pglite = new PGlite();
    const session = pgliteSession(pglite);
    const migrations = await readMigrations();

    const first = await applyMigrations(session, migrations);
    const second = await applyMigrations(session, migrations);

    expect(first).toEqual(migrations.map((migration) => migration.name));
    expect(second).toEqual([]);
    const rows = await session.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
    }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((row) => row.migration_name)).toEqual(first);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.checksum) && row.finished_at)).toBe(true);
  });

  it('refuses to start when an applied migration was edited afterwards', async () => {
    pglite = new PGlite();
    const session = pgliteSession(pglite);
    const migrations = await readMigrations();
    await applyMigrations(session, migrations);

    const edited = migrations.map((migration, index) =>
      index === 0 ? { ...migration, checksum: '0'.repeat(64) } : migration,
    );

    await expect(applyMigrations(session, edited)).rejects.toThrow(MigrationError);
    await expect(applyMigrations(session, edited)).rejects.toThrow(
      /was changed after it was applied/,
    );
  });

  it('rolls a failing migration back whole and records nothing for it', async () => {
    pglite = new PGlite();
    const session = pgliteSession(pglite);
    const broken = {
      name: '20990101000000_broken',
      sql: 'CREATE TABLE "half_built" (id INT); SELECT no_such_function();',
      checksum: 'f'.repeat(64),
    };

    await expect(applyMigrations(session, [broken])).rejects.toThrow(/failed and was rolled back/);

    const tables = await session.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM pg_tables WHERE tablename = 'half_built'",
    );
    const recorded = await session.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM "_prisma_migrations"',
    );
    expect(tables[0]?.count).toBe(0);
    expect(recorded[0]?.count).toBe(0);
  });
});
