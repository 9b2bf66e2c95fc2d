import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrCreateAccount } from '../../src/billing/accounts.ts';
import type { Actor, Place } from '../../src/billing/actors.ts';
import { changeAlertSettings } from '../../src/billing/alert-settings.ts';
import { applyLedgerChange } from '../../src/billing/ledger.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { type RunningBot, startBot } from '../support/bot-process.ts';
import { createScratchDatabase, dropScratchDatabase } from '../support/databases.ts';
import { type FakeSlack, slackUsers, startFakeSlack, TEST_TEAM_ID } from '../support/slack-api.ts';
import { SIGNING_SECRET } from '../support/slack-bot.ts';

const serverUrl = process.env.TEST_DATABASE_URL;
const ADMIN: Actor = { platform: 'slack', userId: 'U0ADMIN', userName: 'Ada Admin' };
const IN_ALERTS: Place = {
  workspace: { platform: 'slack', externalId: TEST_TEAM_ID },
  channelId: 'C0ALERTS',
};

/** Resolves once `check` holds, looking every 50 ms; fails with `what` after `limitMs`. */
async function until(check: () => boolean, what: string, limitMs = 30_000) {
  const giveUpAt = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Two replicas of the bot as real processes, each with its own node-cron ticking every second,
// sharing one PostgreSQL database and one Slack workspace: the database's run coordinator must
// let one of them scan per tick, so an account below its threshold is told once. The balance
// drops below the threshold only once both replicas tick: a replica that starts first would
// otherwise post alone, before the other could compete for the slot.
describe.skipIf(!serverUrl)('the low-balance scan on two bot processes sharing PostgreSQL', () => {
  let databaseUrl = '';
  let slack: FakeSlack;
  let database: Database | null = null;
  let accountId = '';
  let replicas: RunningBot[] = [];
  beforeAll(async () => {
    databaseUrl = await createScratchDatabase(serverUrl ?? '');
    slack = await startFakeSlack();
    slack.users.set('U0ADMIN', slackUsers.admin());

    // Alerts on in C0ALERTS with a $50.00 threshold, and $60.00 of credits, before either starts.
    database = await openDatabase({ kind: 'postgres', url: databaseUrl });
    const account = await findOrCreateAccount(database.prisma, IN_ALERTS.workspace, 'usd');
    accountId = account.id;
    const change = { enabled: true, channelId: 'C0ALERTS', thresholdMinor: 5_000n };
    await changeAlertSettings(database.prisma, accountId, change, ADMIN, IN_ALERTS);
    await adjust(6_000n, 'opening balance');
  });
  afterAll(async () => {
    for (const replica of replicas) if (replica.child.exitCode === null) replica.child.kill();
    await Promise.all(replicas.map((replica) => replica.exited));
    await database?.close();
    await slack?.close();
    if (databaseUrl) await dropScratchDatabase(serverUrl ?? '', databaseUrl);
  });

  function adjust(amountMinor: bigint, description: string) {
    if (!database) throw new Error('the test database is not open');
    return applyLedgerChange(database.prisma, {
      accountId,
      kind: 'adjustment',
      amountMinor,
      description,
      actor: ADMIN,
      place: IN_ALERTS,
      idempotencyKey: `test:alert-replicas:${description}`,
    });
  }

  /** The scan's "job finished" lines each replica has logged so far, parsed. */
  function finishedScans() {
    return replicas.flatMap((replica) =>
      replica
        .output()
        .stdout.split('\n')
        .filter((line) => line.includes('"job finished"') && line.includes('low-balance-scan'))
        .map((line) => JSON.parse(line) as { alerts: number }),
    );
  }

  it('posts one alert in total while both replicas tick every second', async () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-replica-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      DATABASE_URL: databaseUrl,
      ALERT_CRON: '* * * * * *',
    };
    replicas = [startBot(env), startBot(env)];
    await Promise.all(replicas.map((replica) => replica.waitFor(/Slack app running/)));

    await adjust(-2_000n, 'usage beyond the threshold');
    await slack.waitFor('chat.postMessage', 1, 30_000);
    // A few more ticks after the alert, each a chance for a second post.
    const scansAtFirstPost = finishedScans().length;
    await until(() => finishedScans().length >= scansAtFirstPost + 4, 'four more scans');

    const posts = slack.callsTo('chat.postMessage').map((call) => call.body);
    expect(posts).toEqual([
      expect.objectContaining({
        channel: 'C0ALERTS',
        text: 'Credits are running low: the balance is $40.00.',
      }),
    ]);
    expect(finishedScans().reduce((sum, scan) => sum + scan.alerts, 0)).toBe(1);

    for (const replica of replicas) replica.child.kill('SIGTERM');
    const runs = await Promise.all(replicas.map((replica) => replica.exited));
    expect(runs.map((run) => run.code)).toEqual([0, 0]);
  });
});
