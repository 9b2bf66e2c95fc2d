import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { createScratchDatabase, dropScratchDatabase } from '../support/databases.ts';
import { type CutMode, startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const serverUrl = process.env.TEST_DATABASE_URL;
// More transactions cut short than the pool has connections (pg's default of 10).
const CUT_TRANSACTIONS = 12;

describe.skipIf(!serverUrl)('PostgreSQL transactions whose connection breaks halfway', () => {
  let proxy: TcpProxy;
  let databaseUrl: string;
  let database: Database;
  let open = false;
  beforeAll(async () => {
    databaseUrl = await createScratchDatabase(serverUrl ?? '');
    const server = new URL(databaseUrl);
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    const proxied = new URL(databaseUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    database = await openDatabase({ kind: 'postgres', url: proxied.toString() });
    open = true;
  });
  afterAll(async () => {
    if (open) await database.close();
    await proxy?.close();
    if (databaseUrl) await dropScratchDatabase(serverUrl ?? '', databaseUrl);
  });

  /** A transaction that reads once, loses its connection (`mode`), and tries to read again. */
  async function cutHalfway(mode: CutMode) {
    return database.prisma
      .$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        proxy.cut(mode);
        await tx.$queryRaw`SELECT 2`;
      })
      .then(
        () => 'committed',
        () => 'failed',
      )
      .finally(() => proxy.restore());
  }

  const selectOne = () => database.prisma.$queryRaw<{ one: number }[]>`SELECT 1 AS one`;

  it('gives back connections reset halfway, so the pool never runs dry', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < CUT_TRANSACTIONS; i++) outcomes.push(await cutHalfway('reset'));

    const answer = await selectOne();

    expect(outcomes).toEqual(Array(CUT_TRANSACTIONS).fill('failed'));
    expect(answer).toEqual([{ one: 1 }]);
  });

  it('gives back a connection gone silent halfway, so the pool still closes', async () => {
    const outcome = await cutHalfway('silence');
    const answer = await selectOne();
    // Closing waits for every connection of the pool to come back.
    await database.close();
    open = false;

    expect(outcome).toBe('failed');
    expect(answer).toEqual([{ one: 1 }]);
  });
});
