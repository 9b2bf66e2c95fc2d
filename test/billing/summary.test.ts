import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summariseBalance } from '../../src/billing/summary.ts';
import { applyMigrations, readMigrations } from '../../src/db/migrate.ts';
import { PrismaClient } from '../../src/generated/prisma/client.ts';

const NOW = new Date('2026-12-04T12:00:00Z');

// One scan node of an EXPLAIN (ANALYZE, FORMAT JSON) plan, and the nodes under it.
interface PlanNode {
  'Node Type': string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** Rows the scans of a plan touched: those they returned and those their filters threw away. */
function rowsRead(node: PlanNode): number {
  const own = node['Node Type'].includes('Scan')
    ? (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops']
    : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsRead(child), 0);
}

// A client that reports each query it sends, with its parameters.
const loggingClient = (pglite: PGlite) =>
  new PrismaClient({
    adapter: new PrismaPGlite(pglite),
    log: [{ emit: 'event', level: 'query' }],
  });

// The queries are the ones Prisma sends, caught by its query log and explained as they ran.
describe('summariseBalance', () => {
  let pglite: PGlite;
  let prisma: ReturnType<typeof loggingClient>;
  const queries: { query: string; params: string }[] = [];

  beforeAll(async () => {
    pglite = new PGlite();
    await applyMigrations(
      {
        query: async <Row>(sql: string, params?: unknown[]) =>
          (await pglite.query<Row>(sql, params)).rows,
        exec: async (script: string) => void (await pglite.exec(script)),
      },
      await readMigrations(),
    );
    prisma = loggingClient(pglite);
    prisma.$on('query', (event) => queries.push({ query: event.query, params: event.params }));
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await pglite?.close();
  });

  it("reads the last week's usage and the top-ups of a long history, not all of it", async () => {
    const account = await prisma.account.create({ data: { currency: 'usd', balanceMinor: 0n } });
    // A top-up of $600.00 120 days ago, 3,000 charges of $0.25 before this week, 4 this week.
    await pglite.query(
      `INSERT INTO ledger_entries (account_id, kind, amount_minor, balance_after_minor,
         description, actor_platform, actor_id, idempotency_key, occurred_at, created_at)
       SELECT $1, kind::"LedgerKind", amount, 0, 'entry', 'system', 'test', 'test:' || n, at, at
       FROM (SELECT n, CASE WHEN n = 0 THEN 'topup' ELSE 'usage' END AS kind,
               CASE WHEN n = 0 THEN 60000 ELSE -25 END AS amount,
               CASE WHEN n = 0 THEN $2::timestamptz - interval '120 days'
                    WHEN n <= 4 THEN $2::timestamptz - n * interval '1 day'
                    ELSE $2::timestamptz - interval '8 days' - n * interval '50 minutes' END AS at
             FROM generate_series(0, 3004) AS n) AS history`,
      [account.id, NOW.toISOString()],
    );
    await pglite.exec('ANALYZE ledger_entries');

    queries.length = 0;
    const summary = await summariseBalance(prisma, account, NOW);

    expect(summary.usageLast7DaysMinor).toBe(100n);
    expect(summary.lastTopUp?.amountMinor).toBe(60_000n);
    const ledgerQueries = queries.filter(({ query }) => query.includes('ledger_entries'));
    expect(ledgerQueries).toHaveLength(2);
    for (const { query, params } of ledgerQueries) {
      const explained = await pglite.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${query}`,
        JSON.parse(params) as unknown[],
      );
      const plan = explained.rows[0]?.['QUERY PLAN'][0].Plan as PlanNode;
      // Through the (account, kind, occurred_at) index: a handful of rows, not 3,005.
      expect(rowsRead(plan)).toBeLessThan(50);
    }
  });
});
