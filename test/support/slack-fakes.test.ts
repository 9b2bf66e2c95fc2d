import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, slackUsers, startFakeSlack } from './slack-api.ts';
import {
  appHomeOpened,
  blockAction,
  postToSlackEndpoint,
  signSlackRequest,
  slashCommand,
  urlVerification,
  viewSubmission,
} from './slack-requests.ts';

describe('fake Slack Web API', () => {
  let fake: FakeSlack;
  let client: WebClient;

  beforeAll(async () => {
    fake = await startFakeSlack();
    client = new WebClient('xoxb-test', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
    });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('answers users.info from the fixtures and user_not_found for anyone else', async () => {
    fake.users.set('U0ADMIN', slackUsers.admin());

    const found = await client.users.info({ user: 'U0ADMIN' });
    expect(found.user).toMatchObject({
      id: 'U0ADMIN',
      team_id: 'T0TESTTEAM',
      is_admin: true,
      is_owner: false,
      is_restricted: false,
      deleted: false,
      is_bot: false,
      tz: 'Europe/London',
      profile: { real_name: 'Ada Admin', display_name: 'ada.admin' },
    });
    await expect(client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'user_not_found' },
    });

    const calls = fake.callsTo('users.info');
    expect(calls.map((call) => call.body.user)).toEqual(['U0ADMIN', 'U0NOBODY']);
    expect(calls[0]?.token).toBe('xoxb-test');
  });

  it('builds guests as restricted and single-channel guests as both restricted and ultra-restricted', () => {
    expect(slackUsers.guest()).toMatchObject({ is_restricted: true, is_ultra_restricted: false });
    expect(slackUsers.singleChannelGuest()).toMatchObject({
      is_restricted: true,
      is_ultra_restricted: true,
    });
    expect(slackUsers.owner('U0OWNER2', 'T0OTHER')).toMatchObject({
      id: 'U0OWNER2',
      team_id: 'T0OTHER',
      is_admin: true,
      is_owner: true,
      is_primary_owner: false,
    });
  });

  it('records views.open with the view parsed into an object and echoes it with an id and hash', async () => {
    const view = {
      type: 'modal' as const,
      callback_id: 'billing_profile',
      private_metadata: '{"account":"acct_1"}',
      title: { type: 'plain_text' as const, text: 'Billing details' },
      submit: { type: 'plain_text' as const, text: 'Save' },
      blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Hello' } }],
    };

    const result = await client.views.open({ trigger_id: '123.456.abc', view });

    expect(result.view).toMatchObject({ type: 'modal', callback_id: 'billing_profile' });
    expect(result.view?.id).toMatch(/^V/);
    expect(result.view?.hash).toEqual(expect.any(String));
    const [call] = await fake.waitFor('views.open');
    expect(call?.body.trigger_id).toBe('123.456.abc');
    expect(call?.body.view).toEqual(view);
  });

  it('refuses a modal whose title is longer than Slack allows', async () => {
    await expect(
      client.views.open({
        trigger_id: '123.456.abc',
        view: {
          type: 'modal',
          title: { type: 'plain_text', text: 'A title far too long for a modal' },
          blocks: [],
        },
      }),
    ).rejects.toMatchObject({ data: { ok: false, error: 'invalid_arguments' } });
  });

  it('lets a test override an answer, e.g. a 500 that makes the WebClient reject', async () => {
    fake.answer('users.info', () => ({ status: 500, body: 'upstream broke' }));

    await expect(client.users.info({ user: 'U0ADMIN' })).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 500,
    });
    expect(fake.callsTo('users.info')).toHaveLength(1);
  });

  it('records posts to a response_url', async () => {
    const url = fake.responseUrl('cmd-1');

    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Balance: €12.00', response_type: 'ephemeral' }),
    });

    expect(response.status).toBe(200);
    const [call] = await fake.waitFor('response_url:cmd-1');
    expect(call?.body).toEqual({ text: 'Balance: €12.00', response_type: 'ephemeral' });
  });

  it('waitFor rejects after its timeout, naming the calls it saw', async () => {
    await client.auth.test();

    await expect(fake.waitFor('chat.postMessage', 1, 50)).rejects.toThrow(/calls seen: auth\.test/);
  });
});

describe('signSlackRequest', () => {
  const secret = 'test-signing-secret-0123456789ab';
  const body = 'token=x&team_id=T0TESTTEAM&command=%2Fbilling&text=balance';

  it('matches a vector computed independently (openssl dgst -sha256 -hmac)', () => {
    expect(signSlackRequest(body, secret, 1700000000)).toEqual({
      'x-slack-signature': 'v0=4a1fd468fbbd43a7afab6d9f848ec2085d2560c25d6bcd025a2524c9aba1b3b9',
      'x-slack-request-timestamp': '1700000000',
    });
  });

  it('matches node:crypto over v0:<timestamp>:<body>', () => {
    const expected = createHmac('sha256', secret).update(`v0:1700000123:${body}`).digest('hex');
    expect(signSlackRequest(body, secret, 1700000123)['x-slack-signature']).toBe(`v0=${expected}`);
  });
});

describe("Bolt's receiver with the signed requests", () => {
  const signingSecret = 'bolt-round-trip-secret';
  let fake: FakeSlack;
  let server: Server;
  let baseUrl: string;
  const seen: Record<string, unknown>[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    const receiver = new ExpressReceiver({ signingSecret, logLevel: LogLevel.ERROR });
    const app = new App({
      receiver,
      token: 'xoxb-test',
      botId: 'B0BOT',
      botUserId: 'U0BOTUSER',
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/billing', async ({ ack }) => ack('pong'));
    app.action('top_up', async ({ ack, respond, body, context }) => {
      await ack();
      seen.push({
        type: body.type,
        enterpriseId: context.enterpriseId,
        isEnterpriseInstall: context.isEnterpriseInstall,
      });
      await respond('topped up');
    });
    app.view('billing_profile', async ({ ack, view }) => {
      seen.push({ callbackId: view.callback_id, values: view.state.values });
      await ack();
    });
    app.event('app_home_opened', async ({ event, client }) => {
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [] } });
    });
    server = createServer(receiver.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await fake.close();
  });

  it('accepts a signed slash command and returns the ack text', async () => {
    const response = await postToSlackEndpoint(baseUrl, slashCommand({ text: 'balance' }), {
      signingSecret,
    });
    expect(response.status).toBe(200);
    expect(response.body).toContain('pong');
  });

  it('refuses a forged signature with 401', async () => {
    const response = await postToSlackEndpoint(baseUrl, slashCommand({ text: 'balance' }), {
      signingSecret,
      forgeSignature: true,
    });
    expect(response.status).toBe(401);
  });

  it('refuses a correctly signed request whose timestamp is 10 minutes old with 401', async () => {
    const response = await postToSlackEndpoint(baseUrl, slashCommand({ text: 'balance' }), {
      signingSecret,
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(response.status).toBe(401);
  });

  it('answers the url_verification challenge', async () => {
    const response = await postToSlackEndpoint(baseUrl, urlVerification('c-123'), {
      signingSecret,
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ challenge: 'c-123' });
  });

  it('delivers a block action, including an org-wide one, and respond() reaches the fake response_url', async () => {
    seen.length = 0;
    const workspace = await postToSlackEndpoint(
      baseUrl,
      blockAction({ actionId: 'top_up', userId: 'U0ADMIN', responseUrl: fake.responseUrl('a1') }),
      { signingSecret },
    );
    const orgWide = await postToSlackEndpoint(
      baseUrl,
      blockAction({
        actionId: 'top_up',
        userId: 'U0ADMIN',
        teamId: null,
        enterpriseId: 'E0TESTORG',
        responseUrl: fake.responseUrl('a2'),
      }),
      { signingSecret },
    );

    expect([workspace.status, orgWide.status]).toEqual([200, 200]);
    const [reply] = await fake.waitFor('response_url:a1');
    await fake.waitFor('response_url:a2');
    expect(reply?.body).toEqual({ text: 'topped up' });
    expect(seen).toEqual([
      { type: 'block_actions', enterpriseId: undefined, isEnterpriseInstall: false },
      { type: 'block_actions', enterpriseId: 'E0TESTORG', isEnterpriseInstall: true },
    ]);
  });

  it('delivers a view submission with its state values', async () => {
    seen.length = 0;
    const values = {
      country: {
        country_input: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text' as const, text: 'Germany' }, value: 'DE' },
        },
      },
      name: { name_input: { type: 'plain_text_input', value: 'Ada GmbH' } },
    };
    const response = await postToSlackEndpoint(
      baseUrl,
      viewSubmission({ callbackId: 'billing_profile', userId: 'U0ADMIN', values }),
      { signingSecret },
    );
    expect(response.status).toBe(200);
    expect(seen).toEqual([{ callbackId: 'billing_profile', values }]);
  });

  it('delivers app_home_opened, and the listener publishes through the fake Web API', async () => {
    const response = await postToSlackEndpoint(baseUrl, appHomeOpened('U0ADMIN'), {
      signingSecret,
    });
    expect(response.status).toBe(200);
    const [publish] = await fake.waitFor('views.publish');
    expect(publish?.body).toMatchObject({ user_id: 'U0ADMIN', view: { type: 'home', blocks: [] } });
    expect(publish?.token).toBe('xoxb-test');
  });
});
