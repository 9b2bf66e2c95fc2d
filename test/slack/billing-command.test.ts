import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, slackUsers, startFakeSlack } from '../support/slack-api.ts';
import { type RunningSlackBot, SIGNING_SECRET, startSlackBot } from '../support/slack-bot.ts';
import { postToSlackEndpoint, slashCommand } from '../support/slack-requests.ts';

interface EphemeralReply {
  response_type: string;
  text: string;
  blocks?: { type: string; text?: { text: string }; fields?: { text: string }[] }[];
}

describe('/billing in Slack', () => {
  let fake: FakeSlack;
  let bot: RunningSlackBot;
  beforeAll(async () => {
    fake = await startFakeSlack();
    for (const user of [
      slackUsers.admin(),
      slackUsers.member(),
      slackUsers.guest(),
      slackUsers.owner(),
    ]) {
      fake.users.set(user.id, user);
    }
    fake.users.set('U0LISTEDGUEST', slackUsers.guest('U0LISTEDGUEST'));
    bot = await startSlackBot(fake, { BILLING_ADMIN_IDS: 'slack:U0LISTEDGUEST' });
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  /** Sends a command and returns the ephemeral reply posted to its response_url. */
  async function command(text: string, userId: string, extra: Record<string, string> = {}) {
    const responseUrl = fake.responseUrl();
    const id = new URL(responseUrl).pathname.split('/').pop();
    const response = await bot.send(
      slashCommand({ text, user_id: userId, response_url: responseUrl, ...extra }),
    );
    expect(response.status).toBe(200);
    const [call] = await fake.waitFor(`response_url:${id}`);
    return call?.body as unknown as EphemeralReply;
  }

  it('answers a member with the balance, ephemerally', async () => {
    const reply = await command('balance', 'U0MEMBER');

    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toBe('Balance: $0.00');
    expect(reply.blocks?.[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Balance: $0.00' },
    });
    expect(JSON.stringify(reply.blocks)).toContain('Usage, last 7 days');
  });

  it('treats a bare /billing as balance and an unknown word as a request for help', async () => {
    expect((await command('', 'U0MEMBER')).text).toBe('Balance: $0.00');
    const help = await command('frobnicate', 'U0MEMBER');
    expect(help.text).toBe('Unknown command "frobnicate".');
    expect(JSON.stringify(help.blocks)).toContain('/billing add &lt;amount&gt;');
  });

  it('opens the billing modal for an admin, with every field as an input block', async () => {
    const responseUrl = fake.responseUrl();
    await bot.send(
      slashCommand({
        text: 'edit',
        user_id: 'U0ADMIN',
        trigger_id: '111.222.abc',
        response_url: responseUrl,
      }),
    );

    const [open] = await fake.waitFor('views.open');
    const view = open?.body.view as {
      title: { text: string };
      blocks: { type: string; block_id?: string }[];
    };
    expect(open?.body.trigger_id).toBe('111.222.abc');
    expect(view.title.text).toBe('Billing details');
    expect(
      view.blocks.filter((block) => block.type === 'input').map((block) => block.block_id),
    ).toEqual([
      'legalName',
      'addressLine1',
      'addressLine2',
      'city',
      'region',
      'postalCode',
      'country',
      'taxId',
    ]);
  });

  it.each([
    ['a member', 'U0MEMBER', ''],
    ['a guest', 'U0GUEST', ''],
    ['a guest listed in BILLING_ADMIN_IDS', 'U0LISTEDGUEST', ''],
    [
      'a user Slack does not know',
      'U0NOBODY',
      ' (your role could not be confirmed just now; try again later)',
    ],
  ])('opens no modal for %s and says who can edit', async (_who, userId, because) => {
    const reply = await command('edit', userId);

    expect(reply.text).toBe('Only billing admins can edit billing details.');
    expect(JSON.stringify(reply.blocks)).toContain(
      `Only billing admins can edit billing details${because}.`,
    );
    expect(JSON.stringify(reply.blocks)).toContain("this workspace's admins and owners");
    expect(fake.callsTo('views.open')).toHaveLength(0);
  });

  it('treats a users.info failure as "not an admin"', async () => {
    fake.answer('users.info', () => ({ status: 500, body: 'upstream error' }));

    const reply = await command('edit', 'U0OWNER');

    expect(reply.text).toBe('Only billing admins can edit billing details.');
    expect(JSON.stringify(reply.blocks)).toContain('could not be confirmed');
    expect(fake.callsTo('views.open')).toHaveLength(0);
  });

  it('shows members only whether the billing details are complete', async () => {
    const reply = await command('info', 'U0MEMBER');

    expect(JSON.stringify(reply.blocks)).toContain('No billing details yet');
    expect(JSON.stringify(reply.blocks)).not.toContain('Edit billing details');
  });

  it('answers an organisation-wide install that sends no team, keyed by the enterprise', async () => {
    const reply = await command('balance', 'U0ADMIN', {
      team_id: '',
      enterprise_id: 'E0TESTORG',
      is_enterprise_install: 'true',
    });

    expect(reply.text).toBe('Balance: $0.00');
    const workspace = await bot.database.prisma.workspace.findUnique({
      where: { platform_externalId: { platform: 'slack', externalId: 'E0TESTORG' } },
    });
    expect(workspace).not.toBeNull();
  });

  it('tells an admin that payments are not set up yet, naming the amount', async () => {
    const reply = await command('add 100', 'U0ADMIN');

    expect(reply.text).toContain(
      'Payments are not set up on this bot yet, so $100.00 cannot be charged.',
    );
  });

  it('answers a forged signature or a stale timestamp with 401 and no side effect', async () => {
    const request = slashCommand({
      text: 'balance',
      user_id: 'U0MEMBER',
      team_id: 'T0FORGED',
      response_url: fake.responseUrl(),
    });
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;

    const forged = await postToSlackEndpoint(bot.baseUrl, request, {
      signingSecret: SIGNING_SECRET,
      forgeSignature: true,
    });
    const stale = await postToSlackEndpoint(bot.baseUrl, request, {
      signingSecret: SIGNING_SECRET,
      timestamp: tenMinutesAgo,
    });
    const otherSecret = await postToSlackEndpoint(bot.baseUrl, request, {
      signingSecret: 'not-ours',
    });

    expect([forged.status, stale.status, otherSecret.status]).toEqual([401, 401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.calls).toHaveLength(0);
    const workspace = await bot.database.prisma.workspace.findUnique({
      where: { platform_externalId: { platform: 'slack', externalId: 'T0FORGED' } },
    });
    expect(workspace).toBeNull();
  });

  it('refuses a body over 1 MB before reading it as a command', async () => {
    const request = slashCommand({
      text: `balance ${'x'.repeat(1_100_000)}`,
      user_id: 'U0MEMBER',
      team_id: 'T0HUGE',
      response_url: fake.responseUrl(),
    });

    const answer = await postToSlackEndpoint(bot.baseUrl, request, {
      signingSecret: SIGNING_SECRET,
    });

    expect(answer.status).toBeGreaterThanOrEqual(400);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.calls).toHaveLength(0);
  });
});
