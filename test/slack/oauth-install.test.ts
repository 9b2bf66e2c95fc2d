import type { Installation } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prismaInstallationStore } from '../../src/slack/installation-store.ts';
import { SLACK_BOT_SCOPES } from '../../src/slack/slack-app.ts';
import { type FakeSlack, slackUsers, startFakeSlack } from '../support/slack-api.ts';
import { type RunningSlackBot, startSlackBot } from '../support/slack-bot.ts';
import {
  appUninstalled,
  type SlackRequest,
  slashCommand,
  tokensRevoked,
} from '../support/slack-requests.ts';

const TEAM_ID = 'T0OAUTHTEAM';
const ORG_ID = 'E0OAUTHORG';
const TEAM_TOKEN = 'xoxb-oauth-team';
const ORG_TOKEN = 'xoxb-oauth-org';

// Installations as @slack/oauth builds them from oauth.v2.access.
const teamInstallation: Installation<'v2', false> = {
  team: { id: TEAM_ID, name: 'OAuth Team' },
  enterprise: undefined,
  user: { token: undefined, scopes: undefined, id: 'U0INSTALLER' },
  bot: { token: TEAM_TOKEN, scopes: SLACK_BOT_SCOPES, id: 'B0OAUTHBOT', userId: 'U0OAUTHBOT' },
  appId: 'A0BILLING',
  tokenType: 'bot',
  isEnterpriseInstall: false,
  authVersion: 'v2',
};

const orgInstallation: Installation<'v2', true> = {
  team: undefined,
  enterprise: { id: ORG_ID, name: 'OAuth Org' },
  user: { token: undefined, scopes: undefined, id: 'U0ORGINSTALLER' },
  bot: { token: ORG_TOKEN, scopes: SLACK_BOT_SCOPES, id: 'B0ORGBOT', userId: 'U0ORGBOT' },
  appId: 'A0BILLING',
  tokenType: 'bot',
  enterpriseUrl: 'https://oauth-org.enterprise.slack.com/',
  isEnterpriseInstall: true,
  authVersion: 'v2',
};

describe('Slack in OAuth (many workspaces) mode', () => {
  let fake: FakeSlack;
  let bot: RunningSlackBot;
  /** Every HTTP body the bot answered with, checked for tokens at the end. */
  const responseBodies: string[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    for (const user of [
      slackUsers.admin(undefined, TEAM_ID),
      slackUsers.member('U0ORGMEMBER1', 'T0ORGWS'),
      slackUsers.member('U0ORGMEMBER2', 'T0ORGWS'),
    ]) {
      fake.users.set(user.id, user);
    }
    bot = await startSlackBot(fake, {
      SLACK_BOT_TOKEN: '',
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: 'client-secret',
      SLACK_STATE_SECRET: 'state-secret-0123456789',
    });
    const store = prismaInstallationStore(bot.database.prisma);
    await store.storeInstallation(teamInstallation);
    await store.storeInstallation(orgInstallation);
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  async function send(request: SlackRequest) {
    const response = await bot.send(request);
    responseBodies.push(response.body);
    return response;
  }

  /** Sends `/billing balance` and returns the reply posted to its response_url. */
  async function balance(fields: Parameters<typeof slashCommand>[0]) {
    const responseUrl = fake.responseUrl();
    const id = new URL(responseUrl).pathname.split('/').pop();
    const response = await send(
      slashCommand({ text: 'balance', response_url: responseUrl, ...fields }),
    );
    expect(response.status).toBe(200);
    const [reply] = await fake.waitFor(`response_url:${id}`);
    return reply?.body as { text: string };
  }

  const webApiCalls = () => fake.calls.filter((call) => !call.method.startsWith('response_url:'));

  const installationKeys = async () =>
    (await bot.database.prisma.slackInstallation.findMany({ orderBy: { key: 'asc' } })).map(
      (row) => row.key,
    );

  /** Polls until the stored installations are `expected` (Slack's events are acked first). */
  async function expectInstallationKeys(expected: string[]) {
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      if (JSON.stringify(await installationKeys()) === JSON.stringify(expected)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await installationKeys()).toEqual(expected);
  }

  it('answers a workspace with its own installation, calling Slack with its token', async () => {
    const reply = await balance({ team_id: TEAM_ID, user_id: 'U0ADMIN' });

    expect(reply.text).toBe('Balance: $0.00');
    expect(webApiCalls().length).toBeGreaterThan(0);
    for (const call of webApiCalls()) expect(call.token).toBe(TEAM_TOKEN);
  });

  // Distinct users: roles are cached per workspace and user, and a cached user causes no call.
  it.each([
    ['says so', 'true', 'U0ORGMEMBER1'],
    ['does not say so', 'false', 'U0ORGMEMBER2'],
  ] as const)(
    'answers a workspace of an org-wide install that %s, with the org’s token',
    async (_says, isEnterpriseInstall, userId) => {
      const reply = await balance({
        team_id: 'T0ORGWS',
        enterprise_id: ORG_ID,
        is_enterprise_install: isEnterpriseInstall,
        user_id: userId,
      });

      expect(reply.text).toBe('Balance: $0.00');
      expect(webApiCalls().length).toBeGreaterThan(0);
      for (const call of webApiCalls()) expect(call.token).toBe(ORG_TOKEN);
    },
  );

  it('leaves a workspace without an installation unanswered, and keeps serving the others', async () => {
    const response = await send(
      slashCommand({
        text: 'balance',
        team_id: 'T0UNKNOWN',
        user_id: 'U0ADMIN',
        response_url: fake.responseUrl('unknown-team'),
      }),
    );

    // Bolt's authorize fails; it reports the error to app.error and still acks, so Slack sees 200.
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fake.calls).toEqual([]);
    expect((await balance({ team_id: TEAM_ID, user_id: 'U0ADMIN' })).text).toBe('Balance: $0.00');
  });

  it('sends the installing browser to Slack’s authorize page with our client id and scopes', async () => {
    const response = await fetch(`${bot.baseUrl}/slack/install`, { redirect: 'manual' });
    const body = await response.text();
    responseBodies.push(body);

    // directInstall: Bolt skips its "Add to Slack" page and redirects at once.
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
    expect(location.searchParams.get('client_id')).toBe('123.456');
    expect(location.searchParams.get('scope')).toBe(
      'commands,chat:write,chat:write.public,users:read,channels:read,groups:read',
    );
    // The state travels twice, in the URL and in a cookie, and the callback compares the two.
    const state = location.searchParams.get('state') ?? '';
    expect(state).not.toBe('');
    expect(response.headers.get('set-cookie')).toContain(`slack-app-oauth-state=${state};`);
  });

  it('forgets a workspace that uninstalls the app, and only that workspace', async () => {
    expect(await installationKeys()).toEqual([`enterprise:${ORG_ID}`, `team:${TEAM_ID}`]);

    const response = await send(appUninstalled({ teamId: TEAM_ID }));

    expect(response.status).toBe(200);
    await expectInstallationKeys([`enterprise:${ORG_ID}`]);
  });

  it('forgets an org-wide install whose bot token is revoked', async () => {
    const response = await send(
      tokensRevoked(
        { bot: ['U0ORGBOT'] },
        { teamId: null, enterpriseId: ORG_ID, isEnterpriseInstall: true },
      ),
    );

    expect(response.status).toBe(200);
    await expectInstallationKeys([]);
  });

  it('never shows an installation’s token in an HTTP answer', () => {
    expect(responseBodies.length).toBeGreaterThan(5);
    for (const body of responseBodies) {
      expect(body).not.toContain(TEAM_TOKEN);
      expect(body).not.toContain(ORG_TOKEN);
    }
  });
});
