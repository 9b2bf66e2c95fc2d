import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findAccount } from '../../src/billing/accounts.ts';
import { loadAlertSettings } from '../../src/billing/alert-settings.ts';
import { type FakeSlack, slackUsers, startFakeSlack } from '../support/slack-api.ts';
import { type RunningSlackBot, startSlackBot } from '../support/slack-bot.ts';
import { blockAction, slashCommand } from '../support/slack-requests.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const ADMINS = "Billing admins are this workspace's admins and owners. Ask one of them.";
const INVITE_ADVICE =
  'Alerts were not changed. The bot cannot post there. Invite the bot there first ' +
  '(/invite @billing-bot in that channel), then try again.';

interface EphemeralReply {
  response_type: string;
  replace_original: boolean;
  text: string;
  blocks?: unknown[];
}

// `/billing alerts` and the buttons under a low-balance alert, pressed in C0ALERTS, delivered
// through Bolt's own receiver, signed. Each test is its own workspace.
describe('low-balance alerts in Slack', () => {
  let fake: FakeSlack;
  let bot: RunningSlackBot;
  beforeAll(async () => {
    fake = await startFakeSlack();
    for (const user of [slackUsers.admin(), slackUsers.member()]) fake.users.set(user.id, user);
    bot = await startSlackBot(fake, { ALERT_CRON: '0 0 1 1 *' });
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  /** A response_url on the stand-in and the method its posts are recorded under. */
  function responseUrl() {
    const url = fake.responseUrl();
    return { url, method: `response_url:${new URL(url).pathname.split('/').pop()}` };
  }

  /** `/billing <text>` by `userId` in C0ALERTS of `team`; the ephemeral reply. */
  async function command(team: string, text: string, userId = 'U0ADMIN') {
    const reply = responseUrl();
    const fields = { text, user_id: userId, team_id: team, channel_id: 'C0ALERTS' };
    await bot.send(slashCommand({ ...fields, response_url: reply.url }));
    return answerTo(reply.method);
  }

  /** `/billing alerts on` by the admin in C0ALERTS of `team`; the account's alert settings. */
  async function alertsOn(team: string) {
    expect((await command(team, 'alerts on')).text).toBe('Saved.');
    return settingsOf(team);
  }

  async function settingsOf(team: string) {
    const prisma = bot.database.prisma;
    const account = await findAccount(prisma, { platform: 'slack', externalId: team });
    return loadAlertSettings(prisma, account?.id ?? '');
  }

  /** Presses `actionId` on the alert as `userId`; the ephemeral answer to its response_url. */
  async function press(team: string, actionId: string, userId: string, triggerId?: string) {
    const reply = responseUrl();
    const sent = await bot.send(
      blockAction({
        actionId,
        userId,
        teamId: team,
        channelId: 'C0ALERTS',
        responseUrl: reply.url,
        ...(triggerId ? { triggerId } : {}),
      }),
    );
    expect(sent.status).toBe(200);
    return reply.method;
  }

  async function answerTo(method: string) {
    const [answer] = await fake.waitFor(method);
    return answer?.body as unknown as EphemeralReply;
  }

  it('denies a member who turns alerts on, and saves nothing', async () => {
    const denied = await command('T0MEMBERON', 'alerts on', 'U0MEMBER');

    expect(denied.text).toBe('Only billing admins can change low-balance alerts.');
    expect(JSON.stringify(denied.blocks)).toContain(ADMINS);
    expect(await settingsOf('T0MEMBERON')).toBeNull();
    expect(fake.callsTo('conversations.info')).toEqual([]);
  });

  it('refuses a private channel the bot is not in, at once, with the invite advice', async () => {
    fake.answer('conversations.info', ({ body }) => ({
      body: {
        ok: true,
        channel: { id: body.channel, is_private: true, is_member: false, is_archived: false },
      },
    }));

    const reply = await command('T0PRIVATE', 'alerts channel <#C0SECRET|secret>');

    expect(reply.text).toBe(INVITE_ADVICE);
    expect(fake.callsTo('conversations.info').map((call) => call.body.channel)).toEqual([
      'C0SECRET',
    ]);
    expect(await settingsOf('T0PRIVATE')).toBeNull();
  });

  it('snoozes alerts for 24 hours when an admin presses "Snooze 24h"', async () => {
    expect((await alertsOn('T0SNOOZEBTN'))?.snoozedUntil).toBeNull();
    const pressedAt = Date.now();

    const answer = await answerTo(await press('T0SNOOZEBTN', 'billing_alert_snooze', 'U0ADMIN'));

    expect(answer).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'Saved.',
    });
    expect(JSON.stringify(answer.blocks)).toContain('Snoozed until');
    const snoozedUntil = (await settingsOf('T0SNOOZEBTN'))?.snoozedUntil?.getTime() ?? 0;
    expect(snoozedUntil).toBeGreaterThanOrEqual(pressedAt + DAY_MS);
    expect(snoozedUntil).toBeLessThanOrEqual(Date.now() + DAY_MS);
  });

  it('tells a member who presses "Snooze 24h" who can, and snoozes nothing', async () => {
    const before = await alertsOn('T0SNOOZEMEMBER');

    const answer = await answerTo(
      await press('T0SNOOZEMEMBER', 'billing_alert_snooze', 'U0MEMBER'),
    );

    expect(answer).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'Only billing admins can change low-balance alerts.',
    });
    expect(JSON.stringify(answer.blocks)).toContain(ADMINS);
    const after = await settingsOf('T0SNOOZEMEMBER');
    expect(after?.snoozedUntil).toBeNull();
    expect(after?.updatedAt).toEqual(before?.updatedAt);
  });

  it('opens the amount modal when an admin presses "Add credits"', async () => {
    await alertsOn('T0ADDBTN');

    await press('T0ADDBTN', 'billing_alert_add_credits', 'U0ADMIN', '333.444.alert');

    const [open] = await fake.waitFor('views.open');
    const view = open?.body.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { type: string; block_id?: string }[];
    };
    expect(open?.body.trigger_id).toBe('333.444.alert');
    expect(view.callback_id).toBe('billing_add_credits');
    expect(view.private_metadata).toBe('C0ALERTS');
    expect(view.blocks.map((block) => [block.type, block.block_id])).toEqual([['input', 'amount']]);
  });

  it('opens no modal for a member who presses "Add credits", and says who can', async () => {
    await alertsOn('T0ADDMEMBER');

    const answer = await answerTo(
      await press('T0ADDMEMBER', 'billing_alert_add_credits', 'U0MEMBER'),
    );

    expect(answer).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
      text: `Only billing admins can add credits. ${ADMINS}`,
    });
    expect(fake.callsTo('views.open')).toEqual([]);
  });
});
