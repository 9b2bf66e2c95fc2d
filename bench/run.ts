// `npm run bench`: the bot's throughput, latency and memory, each beside a baseline measured in
// the same run, printed as one Markdown table under the machine it ran on. PostgreSQL rows need
// a server (BENCH_DATABASE_URL, or the local default) and are skipped, with a note, without one.
// BENCH_QUICK=1 makes a smaller, shorter run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createScratchDatabase, dropScratchDatabase } from '../test/support/databases.ts';
import { benchAlertScan, scanRows } from './alert-scan.ts';
import { memoryRows } from './memory.ts';
import { bareNodeRssMiB } from './processes.ts';
import { benchSlackCommands, slackRows } from './slack-commands.ts';
import { benchWebhook, webhookRow } from './stripe-webhook.ts';
import { describeMachine, type Row, renderTable } from './table.ts';

const quick = process.env.BENCH_QUICK === '1';
const postgresUrl =
  process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const size = quick
  ? { slackMs: 3_000, settleMs: 2_000, usageEntries: 500, quotes: 100, accounts: 10_000, scans: 4 }
  : {
      slackMs: 10_000,
      settleMs: 3_000,
      usageEntries: 2_000,
      quotes: 500,
      accounts: 100_000,
      scans: 8,
    };

const rows: Row[] = [];
const notes: string[] = [];
const workDir = mkdtempSync(join(tmpdir(), 'billing-bench-'));
const progress = (step: string) => process.stderr.write(`bench: ${step}\n`);

try {
  progress('Slack /billing balance against the bot and a bare Bolt app, and their memory');
  const slack = await benchSlackCommands({
    durationMs: size.slackMs,
    settleMs: size.settleMs,
    usageEntries: size.usageEntries,
    dataDir: join(workDir, 'slack-pglite'),
  });
  rows.push(...slackRows(slack), ...memoryRows(slack, await bareNodeRssMiB(size.settleMs)));

  progress('Stripe webhook on PGlite');
  const pglite = await benchWebhook(`file:${join(workDir, 'webhook-pglite')}`, size.quotes);
  rows.push(webhookRow('PGlite', pglite));

  if (await reachable(postgresUrl)) {
    progress('Stripe webhook on PostgreSQL');
    const postgres = await onScratchDatabase((url) => benchWebhook(url, size.quotes));
    rows.push(webhookRow('PostgreSQL', postgres));
    progress(`low-balance scan over ${size.accounts.toLocaleString('en-US')} accounts`);
    const scan = await onScratchDatabase((url) => benchAlertScan(url, size.accounts, size.scans));
    rows.push(...scanRows(scan));
  } else {
    notes.push(
      `PostgreSQL was not reachable at ${withoutPassword(postgresUrl)}: its rows were skipped. ` +
        'Set BENCH_DATABASE_URL to a server where this user may create databases.',
    );
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

const uptime = process.uptime().toFixed(0);
process.stdout.write(`Machine: ${describeMachine()}${quick ? ' (BENCH_QUICK=1)' : ''}\n\n`);
process.stdout.write(`${renderTable(rows)}\n\n`);
for (const note of [...notes, `Ran in ${uptime} s. Ratio = billing-bot ÷ baseline.`]) {
  process.stdout.write(`${note}\n`);
}
if (rows.some((row) => row.check?.startsWith('WRONG'))) process.exitCode = 1;

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs `work` on a new database of the PostgreSQL server, dropped afterwards whatever happens. */
async function onScratchDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const url = await createScratchDatabase(postgresUrl);
  try {
    return await work(url);
  } finally {
    await dropScratchDatabase(postgresUrl, url);
  }
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
