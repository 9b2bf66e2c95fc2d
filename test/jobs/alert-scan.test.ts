import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findAccount } from '../../src/billing/accounts.ts';
import { loadAlertSettings } from '../../src/billing/alert-settings.ts';
import { applyLedgerChange, type LedgerKind } from '../../src/billing/ledger.ts';
import { scanAlerts } from '../../src/jobs/alert-scan.ts';
import { createLogger } from '../../src/logger.ts';
import { databaseTargets } from '../support/databases.ts';
import { type RecordedCall, slackUsers } from '../support/slack-api.ts';
import { stripeEvent } from '../support/stripe-events.ts';
import { billingCommand, type StripeFlow, startStripeFlow } from '../support/stripe-flow.ts';

const HOUR_MS = 60 * 60 * 1000;
const DM_TEXT =
  'Low-balance alerts could not be posted in their channel (not_in_channel). Invite the bot to ' +
  'that channel, or choose another with /billing alerts channel #name. Until then no alerts ' +
  'reach anyone.';
const field = (label: string, value: string) => ({ type: 'mrkdwn', text: `*${label}*\n${value}` });
const button = (id: string, text: string) => ({
  type: 'button',
  action_id: id,
  text: { type: 'plain_text', text },
});
// The LOW alert for $40.00 against $50.00, with no usage: exactly as Slack receives it.
const LOW_AT_40 = {
  text: 'Credits are running low: the balance is $40.00.',
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'Credits are running low' } },
    { type: 'section', fields: [field('Balance', '$40.00'), field('Alert threshold', '$50.00')] },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'A billing admin can add credits now, or snooze these alerts for a day.',
      },
    },
    {
      type: 'actions',
      elements: [
        button('billing_alert_add_credits', 'Add credits'),
        button('billing_alert_snooze', 'Snooze 24h'),
      ],
    },
  ],
};

interface Post {
  channel: string;
  text: string;
  ts?: string;
  thread_ts?: string;
  blocks: unknown[];
}

// Each test is its own Slack workspace (so its own account); alerts of the others are turned
// off after each test, so that every scan here sees one account only.
describe.each(databaseTargets())('the low-balance scan on $name', (target) => {
  let flow: StripeFlow;
  beforeAll(async () => {
    flow = await startStripeFlow({
      database: await target.open(),
      users: [slackUsers.admin(), slackUsers.member()],
      // A schedule that does not come round during the run: the tests call the scan themselves.
      env: { ALERT_CRON: '0 0 1 1 *' },
    });
  });
  afterAll(() => flow?.close());
  // Slack's answer to chat.postMessage, with the ts of each message kept for thread checks; the
  // channels in `refusing` answer not_in_channel, as a private channel the bot left does.
  // `rateLimited` counts down 429 answers with retry-after, as Slack sends when posting too fast.
  const refusing = new Set<string>();
  const postedTs = new Map<RecordedCall, string>();
  let rateLimited = 0;
  beforeEach(() => {
    flow.slack.answer('chat.postMessage', (call) => {
      const channel = String(call.body.channel);
      if (rateLimited > 0) {
        rateLimited--;
        return {
          status: 429,
          headers: { 'retry-after': '1' },
          body: { ok: false, error: 'ratelimited' },
        };
      }
      if (refusing.has(channel)) return { body: { ok: false, error: 'not_in_channel' } };
      const ts = `1700000000.${String(postedTs.size + 1).padStart(6, '0')}`;
      postedTs.set(call, ts);
      return { body: { ok: true, channel, ts, message: { type: 'message', ts } } };
    });
  });
  afterEach(async () => {
    flow.slack.reset();
    refusing.clear();
    await flow.bot.database.prisma.alertSettings.updateMany({ data: { enabled: false } });
  });

  /** `/billing <text>` in `channel` of `team`; the ephemeral reply. */
  async function command(team: string, text: string, userId = 'U0ADMIN', channel = 'C0ALERTS') {
    return billingCommand(flow, { text, user_id: userId, team_id: team, channel_id: channel });
  }

  /** Alerts on in C0ALERTS of `team` with a $50.00 threshold; the account's id. */
  async function alertsOn(team: string, channel = 'C0ALERTS') {
    expect((await command(team, 'alerts on', 'U0ADMIN', channel)).text).toBe('Saved.');
    expect((await command(team, 'alerts threshold 50', 'U0ADMIN', channel)).text).toBe('Saved.');
    return accountOf(team);
  }

  async function accountOf(team: string) {
    const account = await findAccount(flow.bot.database.prisma, {
      platform: 'slack',
      externalId: team,
    });
    if (!account) throw new Error(`no account for ${team}`);
    return account.id;
  }

  const settingsOf = (accountId: string) => loadAlertSettings(flow.bot.database.prisma, accountId);

  /** Moves the balance by `cents` through the real ledger. */
  function move(accountId: string, cents: number, kind: LedgerKind = 'adjustment', daysAgo = 0) {
    return applyLedgerChange(flow.bot.database.prisma, {
      accountId,
      kind,
      amountMinor: BigInt(cents),
      description: `test ${kind}`,
      actor: { platform: 'operator', userId: 'ops', userName: null },
      place: null,
      idempotencyKey: `test:${randomUUID()}`,
      occurredAt: kind === 'usage' ? new Date(Date.now() - daysAgo * 24 * HOUR_MS) : undefined,
    });
  }

  /** Scans as of `hours` from the start of the test; what it reported and posted. */
  async function scanAt(start: number, hours: number) {
    const before = flow.slack.calls.length;
    const { notifier, alertDefaultThresholdMajor } = flow.bot.bot.billing;
    if (!notifier) throw new Error('the composed bot has no notifier');
    const deps = {
      prisma: flow.bot.database.prisma,
      notifier,
      logger: createLogger('silent'),
      defaultThresholdMajor: alertDefaultThresholdMajor,
    };
    const report = await scanAlerts(deps, new Date(start + hours * HOUR_MS));
    const calls = flow.slack.calls
      .slice(before)
      .filter((call) => call.method === 'chat.postMessage');
    const posts = calls.map((call) => ({ ...call.body, ts: postedTs.get(call) }) as Post);
    return { report, posts };
  }

  const headlines = (posts: Post[]) =>
    posts.map((post) => [post.channel, post.text, post.thread_ts ?? null]);
  const quiet = { examined: 1, alerts: 0, recoveries: 0, failures: 0 };
  const alerted = { ...quiet, alerts: 1 };

  it('walks the levels: one alert per crossing, a daily reminder, one recovery', async () => {
    const start = Date.now();
    const accountId = await alertsOn('T0WALK');
    await move(accountId, 6_000);
    expect(await scanAt(start, 0)).toEqual({ report: quiet, posts: [] });

    await move(accountId, -2_000);
    const low = await scanAt(start, 1);
    expect(low.report).toEqual(alerted);
    expect(low.posts).toEqual([expect.objectContaining({ channel: 'C0ALERTS', ...LOW_AT_40 })]);
    expect((await scanAt(start, 2)).posts).toEqual([]);
    const reminder = await scanAt(start, 26);
    expect(headlines(reminder.posts)).toEqual([
      ['C0ALERTS', 'Reminder: Credits are running low: the balance is $40.00.', null],
    ]);

    await move(accountId, -3_000);
    const critical = await scanAt(start, 27);
    await move(accountId, -1_500);
    const depleted = await scanAt(start, 28);
    expect(headlines([...critical.posts, ...depleted.posts])).toEqual([
      ['C0ALERTS', 'Credits are almost gone: the balance is $10.00.', null],
      ['C0ALERTS', 'Credits have run out: the balance is -$5.00.', null],
    ]);
    expect(JSON.stringify(depleted.posts)).toContain('-$5.00 (overage: usage beyond the credits)');

    // $52.00 is above $50.00 but inside its 10% margin: still low, and nothing is said.
    await move(accountId, 5_700);
    expect(await scanAt(start, 29)).toEqual({ report: quiet, posts: [] });
    await move(accountId, 800);
    const recovered = await scanAt(start, 30);
    expect(recovered.report).toEqual({ ...quiet, recoveries: 1 });
    expect(headlines(recovered.posts)).toEqual([
      [
        'C0ALERTS',
        'Credits are back above the alert threshold: the balance is $60.00.',
        // In the thread of the episode's first alert, the one of crossing into low.
        low.posts[0]?.ts,
      ],
    ]);

    // Re-armed: hovering around the threshold alerts once, not at each dip.
    const hovering: Post[] = [];
    for (const [hour, cents] of [-1_100, 200, -200, 200, -200].entries()) {
      await move(accountId, cents);
      hovering.push(...(await scanAt(start, 31 + hour)).posts);
    }
    expect(headlines(hovering)).toEqual([
      ['C0ALERTS', 'Credits are running low: the balance is $49.00.', null],
    ]);
  });

  it('keeps reminders quiet while snoozed, but still says when credits run out', async () => {
    const start = Date.now();
    const accountId = await alertsOn('T0SNOOZE');
    await move(accountId, 4_000);
    // Told two hours ago, so the daily reminder falls due inside the 24 hours of the snooze.
    expect((await scanAt(start, -2)).report).toEqual(alerted);

    const snoozed = await command('T0SNOOZE', 'alerts snooze');
    expect(snoozed.text).toBe('Saved.');
    expect(JSON.stringify(snoozed.blocks)).toContain('Snoozed until');
    expect((await scanAt(start, 23)).posts).toEqual([]);
    await move(accountId, -3_000);
    expect((await scanAt(start, 23.1)).posts).toEqual([]);

    await move(accountId, -1_500);
    const depleted = await scanAt(start, 23.2);
    expect(headlines(depleted.posts)).toEqual([
      ['C0ALERTS', 'Credits have run out: the balance is -$5.00.', null],
    ]);
  });

  it('warns of the runway when a week of usage outpaces the balance', async () => {
    const start = Date.now();
    const accountId = await alertsOn('T0RUNWAY');
    await move(accountId, 50_000, 'topup');
    // $60.00 a day for a week: $80.00 left lasts about one day, within the 7-day runway.
    for (let day = 6; day >= 0; day--) await move(accountId, -6_000, 'usage', day);

    const runway = await scanAt(start, 0);

    expect(runway.report).toEqual(alerted);
    expect(headlines(runway.posts)).toEqual([
      ['C0ALERTS', 'Credits will run out soon: the balance is $80.00.', null],
    ]);
    expect(runway.posts[0]?.blocks[1]).toEqual({
      type: 'section',
      fields: [
        field('Balance', '$80.00'),
        field('Alert threshold', '$50.00'),
        field('Usage, last 7 days', '$420.00'),
        field('Lasts about', '1 day at that rate'),
      ],
    });
  });

  it('stops posting in a channel that refuses, tells the admin once, and resumes elsewhere', async () => {
    const start = Date.now();
    const accountId = await alertsOn('T0REFUSED', 'C0REFUSED');
    refusing.add('C0REFUSED');
    await move(accountId, 4_000);

    const refused = await scanAt(start, 0);
    expect(refused.report).toEqual(quiet);
    expect(refused.posts.map((post) => [post.channel, post.text])).toEqual([
      ['C0REFUSED', 'Credits are running low: the balance is $40.00.'],
      ['U0ADMIN', DM_TEXT],
    ]);
    const problem = { channelProblem: 'not_in_channel', level: 'ok' };
    expect(await settingsOf(accountId)).toMatchObject(problem);

    await move(accountId, -5_000);
    expect((await scanAt(start, 1)).posts).toEqual([]);
    expect((await scanAt(start, 26)).posts).toEqual([]);

    const reply = await command('T0REFUSED', 'alerts channel <#C0OTHER|other>', 'U0ADMIN');
    expect(reply.text).toBe('Saved.');
    const moved = { channelId: 'C0OTHER', channelProblem: null };
    expect(await settingsOf(accountId)).toMatchObject(moved);
    // Changing the settings alone makes the next scan look again, in the new channel.
    const resumed = await scanAt(start, 27);
    expect(headlines(resumed.posts)).toEqual([
      ['C0OTHER', 'Credits have run out: the balance is -$10.00.', null],
    ]);
  });

  it("waits out Slack's rate limit and posts the alert once", async () => {
    const start = Date.now();
    const accountId = await alertsOn('T0RATELIMIT');
    await move(accountId, 4_000);
    rateLimited = 1;

    const limited = await scanAt(start, 0);

    expect(limited.report).toEqual(alerted);
    // The refused attempt and the one after Retry-After: one message in the channel.
    expect(limited.posts.map((post) => [post.channel, post.ts !== undefined])).toEqual([
      ['C0ALERTS', false],
      ['C0ALERTS', true],
    ]);
  });

  it('looks again after a settings change, with no change of balance', async () => {
    const start = Date.now();
    const accountId = await alertsOn('T0RAISED');
    await move(accountId, 6_000);
    expect((await scanAt(start, 0)).posts).toEqual([]);

    expect((await command('T0RAISED', 'alerts threshold 100', 'U0ADMIN')).text).toBe('Saved.');
    const raised = await scanAt(start, 1);

    expect(raised.report).toEqual(alerted);
    expect(headlines(raised.posts)).toEqual([
      ['C0ALERTS', 'Credits are running low: the balance is $60.00.', null],
    ]);
  });

  it('ends the alert when a top-up is credited through the Stripe webhook', async () => {
    const start = Date.now();
    const accountId = await alertsOn('T0TOPUP');
    await move(accountId, 4_000);
    expect((await scanAt(start, 0)).report).toEqual(alerted);

    const link = await command('T0TOPUP', 'add 100');
    const session = flow.stripe.setSessionPaid(link.text.split('/').pop() ?? '', {
      amount_total: 10_000,
    });
    const webhook = await flow.postEvent(stripeEvent('checkout.session.completed', session));
    expect(webhook.status).toBe(200);

    expect(await settingsOf(accountId)).toMatchObject({ level: 'ok', messageRef: null });
    // The confirmation of the payment told the channel; the scan adds no recovery to it.
    expect(await scanAt(start, 1)).toEqual({ report: quiet, posts: [] });
  });
});
