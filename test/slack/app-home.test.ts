import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, slackUsers, startFakeSlack } from '../support/slack-api.ts';
import { type RunningSlackBot, startSlackBot } from '../support/slack-bot.ts';
import { appHomeOpened, blockAction } from '../support/slack-requests.ts';

interface HomeView {
  type: string;
  blocks: {
    type: string;
    text?: { text: string };
    elements?: { type: string; action_id?: string }[];
  }[];
}

const EDIT_ACTION_ID = 'billing_edit_profile';

/** Time for a delivery that should cause nothing to have caused it anyway. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

const buttonIds = (view: HomeView) =>
  view.blocks.flatMap((block) => block.elements ?? []).map((element) => element.action_id);

describe('App Home in Slack', () => {
  let fake: FakeSlack;
  let bot: RunningSlackBot;
  beforeAll(async () => {
    fake = await startFakeSlack();
    for (const user of [slackUsers.admin(), slackUsers.member()]) fake.users.set(user.id, user);
    bot = await startSlackBot(fake);
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  /** Opens the Home tab as `userId` and returns the one view published for it. */
  async function openHome(userId: string) {
    const response = await bot.send(appHomeOpened(userId));
    expect(response.status).toBe(200);
    const [publish] = await fake.waitFor('views.publish');
    expect(publish?.body.user_id).toBe(userId);
    return publish?.body.view as HomeView;
  }

  it('shows an admin the balance, the state of the billing details and the edit button', async () => {
    const view = await openHome('U0ADMIN');

    expect(view.type).toBe('home');
    expect(view.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Balance: $0.00' },
    });
    expect(JSON.stringify(view.blocks)).toContain('Billing details: incomplete');
    expect(buttonIds(view)).toContain(EDIT_ACTION_ID);
    expect(fake.callsTo('views.publish')).toHaveLength(1);
  });

  it('shows a member no edit button and says who the billing admins are', async () => {
    const view = await openHome('U0MEMBER');

    expect(view.type).toBe('home');
    expect(buttonIds(view)).not.toContain(EDIT_ACTION_ID);
    expect(JSON.stringify(view.blocks)).toContain(
      "Billing admins are this workspace's admins and owners. Ask one of them.",
    );
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    const response = await bot.send(appHomeOpened('U0ADMIN', { tab: 'messages' }));

    expect(response.status).toBe(200);
    await settle();
    expect(fake.callsTo('views.publish')).toHaveLength(0);
  });

  it('publishes once when Slack retries the same event', async () => {
    const eventId = 'Ev0HOMERETRY1';
    await bot.send(appHomeOpened('U0ADMIN', { eventId }));
    await fake.waitFor('views.publish');

    const retry = await bot.send(appHomeOpened('U0ADMIN', { eventId }), {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });

    expect(retry.status).toBe(200);
    await settle();
    expect(fake.callsTo('views.publish')).toHaveLength(1);
  });
});

describe('the "Edit billing details" button in Slack', () => {
  let fake: FakeSlack;
  let bot: RunningSlackBot;
  beforeAll(async () => {
    fake = await startFakeSlack();
    for (const user of [slackUsers.admin(), slackUsers.member()]) fake.users.set(user.id, user);
    bot = await startSlackBot(fake);
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  const pressOnHome = (userId: string, triggerId: string) =>
    bot.send(
      blockAction({
        actionId: EDIT_ACTION_ID,
        userId,
        triggerId,
        container: 'view',
        responseUrl: null,
        view: { type: 'home', id: 'V0HOME0001', root_view_id: 'V0HOME0001' },
      }),
    );

  it('opens the billing modal for an admin on Home, with the button’s trigger', async () => {
    const response = await pressOnHome('U0ADMIN', '1234.5678.home-admin');

    expect(response.status).toBe(200);
    const [open] = await fake.waitFor('views.open');
    expect(open?.body.trigger_id).toBe('1234.5678.home-admin');
    const view = open?.body.view as { type: string; title: { text: string } } | undefined;
    expect(view?.type).toBe('modal');
    expect(view?.title.text).toBe('Billing details');
  });

  it('opens nothing for a member on Home and tells them in a DM who can edit', async () => {
    await pressOnHome('U0MEMBER', '1234.5678.home-member');

    const [message] = await fake.waitFor('chat.postMessage');
    expect(message?.body.channel).toBe('U0MEMBER');
    expect(message?.body.text).toBe('Only billing admins can edit billing details.');
    expect(fake.callsTo('views.open')).toHaveLength(0);
  });

  it('answers a member who presses it in a message through the response_url, beside it', async () => {
    const responseUrl = fake.responseUrl('edit-in-message');

    await bot.send(
      blockAction({
        actionId: EDIT_ACTION_ID,
        userId: 'U0MEMBER',
        container: 'message',
        responseUrl,
      }),
    );

    const [reply] = await fake.waitFor('response_url:edit-in-message');
    expect(reply?.body).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'Only billing admins can edit billing details.',
    });
    expect(fake.callsTo('views.open')).toHaveLength(0);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });
});
