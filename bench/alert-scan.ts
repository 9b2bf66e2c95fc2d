// The low-balance scan over many accounts on PostgreSQL: the accounts, their alert settings and
// a top-up and a week's usage each are written in bulk with generate_series, then the scan runs
// as the scheduler runs it (alerts posted to the FakeSlack). A quiet tick finds nothing changed;
// a busy one follows a change to 1% of the accounts.
import type { PrismaClient } from '../src/db/database.ts';
import { scanAlerts } from '../src/jobs/alert-scan.ts';
import { createLogger } from '../src/logger.ts';
import { startFakeSlack } from '../test/support/slack-api.ts';
import { startSlackBot } from '../test/support/slack-bot.ts';
import { median, timed } from './measure.ts';
import type { Row } from './table.ts';

const THRESHOLD_MINOR = 10_000;
// One account in fifty is below its threshold, and alerts once it is looked at.
const LOW_EVERY = 50;

export interface ScanFigures {
  accounts: number;
  changed: number;
  quietMs: number;
  countMs: number;
  busyMs: number;
  readsMs: number;
  /** Accounts each busy scan examined, and the alerts all of them posted. */
  examined: number[];
  alerts: number;
}

/** Scans `accounts` accounts on the empty database at `databaseUrl`, `times` times each way. */
export async function benchAlertScan(
  databaseUrl: string,
  accounts: number,
  times: number,
): Promise<ScanFigures> {
  const slack = await startFakeSlack();
  // The scheduler's own scan must not run meanwhile: once a year, on New Year's night.
  const bot = await startSlackBot(slack, { DATABASE_URL: databaseUrl, ALERT_CRON: '0 0 1 1 *' });
  try {
    const { prisma } = bot.database;
    await writeAccounts(prisma, accounts);
    const deps = {
      prisma,
      notifier: bot.bot.billing.notifier ?? failNoNotifier(),
      logger: createLogger('silent'),
      defaultThresholdMajor: '10',
    };
    const scan = () => scanAlerts(deps, new Date());
    const quiet = await quietTicks(prisma, scan, times);
    const changed = Math.round(accounts / 100);
    const busy = await busyTicks(prisma, scan, changed, Math.max(1, Math.round(times / 4)));
    return {
      accounts,
      changed,
      ...quiet,
      ...busy,
      alerts: slack.callsTo('chat.postMessage').length,
    };
  } finally {
    await bot.close();
    await slack.close();
  }
}

export function scanRows(figures: ScanFigures): Row[] {
  const accounts = figures.accounts.toLocaleString('en-US');
  const changed = figures.changed.toLocaleString('en-US');
  return [
    {
      what: `Alert scan, ${accounts} accounts, none changed: ms/scan`,
      ours: figures.quietMs,
      baseline: figures.countMs,
      baselineIs: 'SELECT count(*) FROM alert_settings',
    },
    {
      what: `Alert scan, ${accounts} accounts, ${changed} changed: ms/scan`,
      ours: figures.busyMs,
      baseline: figures.readsMs,
      baselineIs: `${changed} primary-key reads of those accounts`,
      check: `examined ${figures.examined.join(', ')}; ${figures.alerts} alerts`,
    },
  ];
}

type Scan = () => Promise<{ examined: number }>;

// Nothing changed since the last tick: the scan is its query for candidates.
async function quietTicks(prisma: PrismaClient, scan: Scan, times: number) {
  const quiet: number[] = [];
  const counts: number[] = [];
  for (let run = 0; run < times; run++) {
    quiet.push(await timed(scan));
    counts.push(await timed(() => prisma.$queryRaw`SELECT count(*) FROM alert_settings`));
  }
  return { quietMs: median(quiet), countMs: median(counts) };
}

// `changed` accounts picked anew before each tick had a ledger change.
async function busyTicks(prisma: PrismaClient, scan: Scan, changed: number, times: number) {
  const busy: number[] = [];
  const reads: number[] = [];
  const examined: number[] = [];
  for (let run = 0; run < times; run++) {
    const ids = await markChanged(prisma, changed);
    let report = { examined: 0 };
    busy.push(await timed(async () => (report = await scan())));
    examined.push(report.examined);
    reads.push(await timed(() => readEach(prisma, ids)));
  }
  return { busyMs: median(busy), readsMs: median(reads), examined };
}

function failNoNotifier(): never {
  throw new Error('the composed bot has no notifier to post alerts with');
}

// Ids are md5 digests of the account's number, so that each table can be written on its own.
async function writeAccounts(prisma: PrismaClient, count: number) {
  const id = `md5('bench-account-' || n)::uuid`;
  const balance = `CASE WHEN n % ${LOW_EVERY} = 0 THEN 2000 ELSE 50000 END`;
  const numbers = `generate_series(1, ${count}) AS n`;
  await prisma.$executeRawUnsafe(`
    INSERT INTO accounts (id, currency, balance_minor, alert_check_due, created_at, updated_at)
    SELECT ${id}, 'usd', ${balance}, false, now(), now() FROM ${numbers}`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO alert_settings (account_id, enabled, platform, workspace_id, channel_id,
      configured_by, threshold_minor, runway_days, level, updated_at)
    SELECT ${id}, true, 'slack', 'T0BENCH' || n, 'C0ALERTS', 'U0ADMIN', ${THRESHOLD_MINOR}, 7,
      'ok', now() FROM ${numbers}`);
  // A top-up of $600.00 three weeks ago, then the usage that brought the balance to where it is.
  await prisma.$executeRawUnsafe(`
    INSERT INTO ledger_entries (account_id, kind, amount_minor, balance_after_minor, description,
      actor_platform, actor_id, idempotency_key, created_at)
    SELECT ${id}, 'topup', 60000, 60000, 'Card payment of $600.00', 'slack', 'U0ADMIN',
      'bench:topup:' || n, now() - interval '21 days' FROM ${numbers}`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO ledger_entries (account_id, kind, amount_minor, balance_after_minor, description,
      actor_platform, actor_id, idempotency_key, occurred_at, created_at)
    SELECT ${id}, 'usage', ${balance} - 60000, ${balance}, 'Compute', 'system', 'platform',
      'bench:usage:' || n, now() - interval '2 days', now() - interval '2 days' FROM ${numbers}`);
  await prisma.$executeRawUnsafe('ANALYZE');
}

/** Marks `count` accounts picked at random as changed, as a ledger entry marks them. */
async function markChanged(prisma: PrismaClient, count: number): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    UPDATE accounts SET alert_check_due = true
    WHERE id IN (SELECT id FROM accounts ORDER BY random() LIMIT ${count})
    RETURNING id::text`;
  return rows.map((row) => row.id);
}

async function readEach(prisma: PrismaClient, ids: string[]) {
  for (const id of ids) await prisma.account.findUnique({ where: { id } });
}
