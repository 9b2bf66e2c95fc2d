import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { listeningPort, type RunningBot, startBot } from '../support/bot-process.ts';
import { createScratchDatabase, dropScratchDatabase } from '../support/databases.ts';
import { type FakeSlack, slackUsers, startFakeSlack } from '../support/slack-api.ts';
import { SIGNING_SECRET, STRIPE_WEBHOOK_SECRET, stripeEnv } from '../support/slack-bot.ts';
import { postToSlackEndpoint, slashCommand } from '../support/slack-requests.ts';
import { type FakeStripe, startFakeStripe } from '../support/stripe-api.ts';
import { signStripePayload, stripeEvent } from '../support/stripe-events.ts';
import { CREDITED_TEXT, PAID_WITH_TAX, topUpState } from '../support/stripe-flow.ts';

const serverUrl = process.env.TEST_DATABASE_URL;

interface SharedDatabase {
  name: string;
  /** DATABASE_URL of every bot process, and of the test's own look at the data. */
  create(): Promise<string>;
  drop(url: string): Promise<void>;
}

// PGlite keeps its data in a directory that a killed process leaves locked (the next process
// takes the lock over, its holder being dead); PostgreSQL, when the tests have a server.
const targets: SharedDatabase[] = [
  {
    name: 'PGlite',
    create: async () => `file:${join(mkdtempSync(join(tmpdir(), 'killed-')), 'pglite')}`,
    drop: async (url) => rmSync(dirname(url.slice('file:'.length)), { recursive: true }),
  },
  ...(serverUrl
    ? [
        {
          name: 'PostgreSQL',
          create: () => createScratchDatabase(serverUrl),
          drop: (url: string) => dropScratchDatabase(serverUrl, url),
        },
      ]
    : []),
];

// The bot as a process, killed with SIGKILL (no shutdown, no cleanup) while it applies a paid
// Checkout Session; a new process on the same data then gets Stripe's next delivery of the same
// event, as Stripe retries any delivery that got no 2xx.
describe.each(targets)('a payment webhook cut short by SIGKILL on $name', (target) => {
  let slack: FakeSlack;
  let stripe: FakeStripe;
  let databaseUrl: string;
  const bots: RunningBot[] = [];
  beforeAll(async () => {
    slack = await startFakeSlack();
    slack.users.set('U0ADMIN', slackUsers.admin());
    stripe = await startFakeStripe();
    databaseUrl = await target.create();
  });
  afterAll(async () => {
    for (const bot of bots.filter(isRunning)) {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
    await Promise.all([slack?.close(), stripe?.close()]);
    if (databaseUrl) await target.drop(databaseUrl);
  });

  /** A bot process on the shared data; resolves with its base URL once it listens. */
  async function startProcess(): Promise<{ bot: RunningBot; baseUrl: string }> {
    const bot = startBot({
      DATABASE_URL: databaseUrl,
      SLACK_BOT_TOKEN: 'xoxb-faults-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      ...stripeEnv(stripe.url),
    });
    bots.push(bot);
    return { bot, baseUrl: `http://127.0.0.1:${await listeningPort(bot)}` };
  }

  async function kill(bot: RunningBot) {
    bot.child.kill('SIGKILL');
    await bot.exited;
    return bot.child.signalCode;
  }

  async function stop(bot: RunningBot) {
    bot.child.kill('SIGTERM');
    return (await bot.exited).code;
  }

  /** `/billing add 100` by Ada Admin in `team`, paid at Stripe: the quote's id and the event. */
  async function paidTopUp(baseUrl: string, team: string) {
    const command = { team_id: team, user_id: 'U0ADMIN', text: 'add 100' };
    const request = slashCommand({ ...command, response_url: slack.responseUrl(team) });
    await postToSlackEndpoint(baseUrl, request, { signingSecret: SIGNING_SECRET });
    const [reply] = await slack.waitFor(`response_url:${team}`, 1, 30_000);
    const sessionId = String(reply?.body.text).split('/').pop() ?? '';

    const session = stripe.setSessionPaid(sessionId, PAID_WITH_TAX);
    const payload = JSON.stringify(stripeEvent('checkout.session.completed', session));
    return { quoteId: session.client_reference_id ?? '', payload };
  }

  /** Delivers `payload` as Stripe does, signed at the moment of this delivery. */
  async function deliver(baseUrl: string, payload: string): Promise<number> {
    const signature = signStripePayload(payload, STRIPE_WEBHOOK_SECRET);
    const response = await fetch(`${baseUrl}/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload,
    });
    return response.status;
  }

  /** The quote's status, its account's balance and ledger size, read while no bot runs. */
  async function stateOf(quoteId: string) {
    expect(bots.filter(isRunning)).toEqual([]);
    const database = await openDatabase(loadConfig({ DATABASE_URL: databaseUrl }).database);
    try {
      const { quote, balanceMinor, ledger } = await topUpState(database.prisma, quoteId);
      return { status: quote.status, balanceMinor, entries: ledger.length };
    } finally {
      await database.close();
    }
  }

  const confirmations = () =>
    slack.callsTo('chat.postMessage').filter((call) => call.body.text === CREDITED_TEXT);

  it('credits once when killed before the credit was written', async () => {
    const first = await startProcess();
    const { quoteId, payload } = await paidTopUp(first.baseUrl, 'T0KILLBEFORE');
    // The handler reads the invoice link from Stripe before it writes the credit.
    stripe.delayMs.set('/v1/invoices/', 60_000);

    // The delivery never gets an answer: fetch fails once the process is gone.
    const cutShort = deliver(first.baseUrl, payload).catch((error: unknown) => error);
    await waitUntil(() => stripe.requests.some((one) => one.path.startsWith('/v1/invoices/')));
    const signal = await kill(first.bot);
    stripe.delayMs.clear();

    expect(signal).toBe('SIGKILL');
    expect(await cutShort).toBeInstanceOf(TypeError);
    expect(await stateOf(quoteId)).toEqual({ status: 'open', balanceMinor: 0n, entries: 0 });

    const second = await startProcess();
    const redelivered = await deliver(second.baseUrl, payload);
    const againLater = await deliver(second.baseUrl, payload);
    const exitCode = await stop(second.bot);

    expect([redelivered, againLater, exitCode]).toEqual([200, 200, 0]);
    const credited = { status: 'credited', balanceMinor: 10_000n, entries: 1 };
    expect(await stateOf(quoteId)).toEqual(credited);
    expect(confirmations()).toHaveLength(1);
  });

  it('credits nothing more when killed after the credit was written, before Stripe heard back', async () => {
    const first = await startProcess();
    const { quoteId, payload } = await paidTopUp(first.baseUrl, 'T0KILLAFTER');
    // The confirmation is posted after the credit commits and before Stripe gets its answer;
    // Slack's stand-in holds it until the process is gone.
    slack.answer('chat.postMessage', () => new Promise(() => {}));

    const cutShort = deliver(first.baseUrl, payload).catch((error: unknown) => error);
    await slack.waitFor('chat.postMessage', confirmations().length + 1, 30_000);
    const signal = await kill(first.bot);
    slack.reset();

    expect(signal).toBe('SIGKILL');
    expect(await cutShort).toBeInstanceOf(TypeError);
    const credited = { status: 'credited', balanceMinor: 10_000n, entries: 1 };
    expect(await stateOf(quoteId)).toEqual(credited);

    const second = await startProcess();
    const redelivered = await deliver(second.baseUrl, payload);
    const exitCode = await stop(second.bot);

    expect([redelivered, exitCode]).toEqual([200, 0]);
    expect(await stateOf(quoteId)).toEqual(credited);
    // Not posted again: only the delivery that credits a payment speaks of it.
    expect(slack.callsTo('chat.postMessage')).toEqual([]);
  });
});

const isRunning = (bot: RunningBot) => bot.child.exitCode === null && bot.child.signalCode === null;

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the condition did not come true in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
