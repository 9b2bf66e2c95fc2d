// The databases every storage test runs against: an in-memory PGlite always, and PostgreSQL too
// when TEST_DATABASE_URL is set (CI sets it). Each test file gets its own PostgreSQL database,
// created from TEST_DATABASE_URL and dropped afterwards, so files can run in parallel.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';

export interface TestDatabaseTarget {
  name: string;
  open(): Promise<Database>;
}

/** Targets for `describe.each`: `pglite`, and `postgresql` when TEST_DATABASE_URL is set. */
export function databaseTargets(): TestDatabaseTarget[] {
  const targets: TestDatabaseTarget[] = [
    { name: 'pglite', open: () => openDatabase({ kind: 'pglite-memory' }) },
  ];
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) targets.push({ name: 'postgresql', open: () => openFreshPostgres(serverUrl) });
  return targets;
}

/** A new, empty PostgreSQL database on the test server, dropped when the returned one closes. */
export async function openFreshPostgres(serverUrl: string): Promise<Database> {
  const url = await createScratchDatabase(serverUrl);
  const database = await openDatabase({ kind: 'postgres', url } satisfies DatabaseConfig);
  return {
    ...database,
    async close() {
      await database.close();
      await dropScratchDatabase(serverUrl, url);
    },
  };
}

/** Creates an empty database next to `serverUrl`'s and returns its URL. */
export async function createScratchDatabase(serverUrl: string): Promise<string> {
  const name = `billing_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropScratchDatabase(serverUrl: string, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withAdminClient(serverUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  );
}

async function withAdminClient(serverUrl: string, work: (client: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
