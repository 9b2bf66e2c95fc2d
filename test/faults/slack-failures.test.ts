import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SLACK_RETRY_CONFIG } from '../../src/slack/respond.ts';
import { slashCommand } from '../support/slack-requests.ts';
import { stripeEvent } from '../support/stripe-events.ts';
import {
  billingCommand,
  CREDITED_TEXT,
  PAID_WITH_TAX,
  type StripeFlow,
  startStripeFlow,
  topUpState,
} from '../support/stripe-flow.ts';

// What Slack answers when it has a bad moment: a 500 (`fatal_error`) or a 429 with the seconds
// to wait. The bot tries each call this many times before it gives up.
const SLACK_DOWN = { status: 500, body: { ok: false, error: 'fatal_error' } };
const SLOW_DOWN = { status: 429, headers: { 'retry-after': '1' }, body: { ok: false } };
const TRIES = SLACK_RETRY_CONFIG.retries + 1;

describe('the Slack app when Slack fails for a moment or for longer', () => {
  let flow: StripeFlow;
  beforeAll(async () => {
    flow = await startStripeFlow();
  });
  afterAll(() => flow?.close());
  beforeEach(() => flow.slack.reset());

  /** `/billing <text>` by Ada Admin in `team`: the reply's text. */
  const billing = async (team: string, text: string) =>
    (await billingCommand(flow, { team_id: team, user_id: 'U0ADMIN', text })).text;

  it('asks users.info again after a 500 and treats the admin as one', async () => {
    flow.slack.failNext('users.info', SLACK_DOWN);

    const reply = await billing('T0SLACK500', 'add 100');

    expect(reply).toMatch(/^Pay \$100\.00: https:\/\/checkout\.stripe\.test\//);
    expect(flow.slack.callsTo('users.info')).toHaveLength(2);
  });

  it('waits as long as a 429 says before asking users.info again', async () => {
    flow.slack.failNext('users.info', SLOW_DOWN);

    const reply = await billing('T0SLACK429', 'add 100');

    expect(reply).toMatch(/^Pay \$100\.00: https:\/\/checkout\.stripe\.test\//);
    const [limited, retried] = flow.slack.callsTo('users.info');
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it('gives up after the configured tries and says the role could not be confirmed', async () => {
    flow.slack.failNext('users.info', SLACK_DOWN, TRIES);
    const sessionsBefore = flow.stripe.sessions.size;

    const reply = await billingCommand(flow, {
      team_id: 'T0SLACKDOWN',
      user_id: 'U0ADMIN',
      text: 'add 100',
    });

    expect(reply.text).toBe('Only billing admins can add credits.');
    expect(JSON.stringify(reply.blocks)).toContain('your role could not be confirmed just now');
    expect(flow.slack.callsTo('users.info')).toHaveLength(TRIES);
    expect(flow.stripe.sessions.size).toBe(sessionsBefore);
  });

  /** `/billing balance` whose response_url answers `failure` the first `times` posts. */
  async function balanceWithFlakyResponseUrl(id: string, times: number) {
    flow.slack.failNext(`response_url:${id}`, { status: 500, body: 'oops' }, times);
    const command = {
      team_id: 'T0RESPOND',
      text: 'balance',
      response_url: flow.slack.responseUrl(id),
    };
    return (await flow.bot.send(slashCommand(command))).status;
  }

  it('delivers the answer when the response_url fails once', async () => {
    const status = await balanceWithFlakyResponseUrl('flaky', 1);
    const posts = await flow.slack.waitFor('response_url:flaky', 2);

    expect(status).toBe(200);
    expect(posts.map((post) => post.body.text)).toEqual(['Balance: $0.00', 'Balance: $0.00']);
  });

  it('stops after the configured tries when the response_url keeps failing, and serves on', async () => {
    const status = await balanceWithFlakyResponseUrl('broken', 2 * TRIES);
    // The answer's tries, then those of the message saying that something went wrong.
    const posts = await flow.slack.waitFor('response_url:broken', 2 * TRIES);

    expect(status).toBe(200);
    expect(posts.map((post) => post.body.text)).toEqual([
      ...Array(TRIES).fill('Balance: $0.00'),
      ...Array(TRIES).fill(expect.stringMatching(/^Something went wrong \(reference \w{6}\)/)),
    ]);
    expect(await billing('T0RESPOND', 'balance')).toBe('Balance: $0.00');
  });

  it('posts a payment confirmation once Slack recovers within the retries', async () => {
    const { quote } = await flow.requestTopUp('T0NOTICE500');
    const session = flow.stripe.setSessionPaid(quote.stripeSessionId ?? '', PAID_WITH_TAX);
    flow.slack.failNext('chat.postMessage', SLACK_DOWN, TRIES - 1);

    const answer = await flow.postEvent(stripeEvent('checkout.session.completed', session));

    expect(answer.status).toBe(200);
    const posts = flow.slack.callsTo('chat.postMessage').map((call) => call.body.text);
    expect(posts).toEqual([CREDITED_TEXT, CREDITED_TEXT, CREDITED_TEXT]);
    expect((await topUpState(flow.bot.database.prisma, quote.id)).balanceMinor).toBe(10_000n);
  });

  it('keeps the credit and answers Stripe 200 when Slack stays down', async () => {
    const { quote } = await flow.requestTopUp('T0NOTICEDOWN');
    const session = flow.stripe.setSessionPaid(quote.stripeSessionId ?? '', PAID_WITH_TAX);
    flow.slack.failNext('chat.postMessage', SLACK_DOWN, TRIES);

    const answer = await flow.postEvent(stripeEvent('checkout.session.completed', session));

    expect(answer).toEqual({ status: 200, body: { received: true, handled: true } });
    expect(flow.slack.callsTo('chat.postMessage')).toHaveLength(TRIES);
    const after = await topUpState(flow.bot.database.prisma, quote.id);
    expect(after).toMatchObject({ balanceMinor: 10_000n, quote: { status: 'credited' } });
    expect(after.ledger).toHaveLength(1);
  });
});
