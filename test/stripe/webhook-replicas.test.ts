import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { reconcileCheckouts } from '../../src/jobs/reconcile-checkouts.ts';
import { createScratchDatabase, dropScratchDatabase } from '../support/databases.ts';
import { type FakeSlack, slackUsers, startFakeSlack } from '../support/slack-api.ts';
import {
  type RunningSlackBot,
  STRIPE_WEBHOOK_SECRET,
  startSlackBot,
  stripeEnv,
} from '../support/slack-bot.ts';
import { slashCommand } from '../support/slack-requests.ts';
import { type FakeStripe, startFakeStripe } from '../support/stripe-api.ts';
import { charge, signStripePayload, stripeEvent } from '../support/stripe-events.ts';

const serverUrl = process.env.TEST_DATABASE_URL;
const CREDITED_TEXT = 'Ada Admin added $100.00 in credits. New balance: $100.00.';

// Two replicas of the bot behind one load balancer: each its own composition, HTTP server and
// connection pool, sharing one PostgreSQL database, one Slack workspace and one Stripe account.
describe.skipIf(!serverUrl)('the Stripe webhook on two replicas sharing PostgreSQL', () => {
  let databaseUrl: string;
  let databases: Database[] = [];
  let slack: FakeSlack;
  let stripe: FakeStripe;
  let first: RunningSlackBot;
  let second: RunningSlackBot;
  beforeAll(async () => {
    databaseUrl = await createScratchDatabase(serverUrl ?? '');
    // Replicas start together: migrations at start-up must not trip over each other.
    databases = await Promise.all(
      [1, 2].map(() => openDatabase({ kind: 'postgres', url: databaseUrl })),
    );
    slack = await startFakeSlack();
    slack.users.set('U0ADMIN', slackUsers.admin());
    stripe = await startFakeStripe();
    const [one, two] = databases;
    if (!one || !two) throw new Error('two database connections were not opened');
    first = await startSlackBot(slack, stripeEnv(stripe.url), one);
    second = await startSlackBot(slack, stripeEnv(stripe.url), two);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await Promise.all(databases.map((database) => database.close()));
    await Promise.all([slack?.close(), stripe?.close()]);
    if (databaseUrl) await dropScratchDatabase(serverUrl ?? '', databaseUrl);
  });
  beforeEach(() => slack.reset());

  /** `/billing add 100` in `team`, asked through the first replica and paid at the stand-in. */
  async function paidTopUp(team: string) {
    const responseUrl = slack.responseUrl();
    const replyTo = `response_url:${new URL(responseUrl).pathname.split('/').pop()}`;
    const command = { text: 'add 100', user_id: 'U0ADMIN', team_id: team };
    const sent = await first.send(slashCommand({ ...command, response_url: responseUrl }));
    expect(sent.status).toBe(200);
    const [reply] = await slack.waitFor(replyTo);
    const sessionId = String(reply?.body.text).split('/').pop() ?? '';
    const session = stripe.setSessionPaid(sessionId, { amount_total: 11_900 });
    const quote = await first.database.prisma.topUpQuote.findUniqueOrThrow({
      where: { stripeSessionId: sessionId },
    });
    return { quote, session };
  }

  async function postEvent(replica: RunningSlackBot, event: unknown) {
    const payload = JSON.stringify(event);
    const response = await fetch(`${replica.baseUrl}/stripe/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signStripePayload(payload, STRIPE_WEBHOOK_SECRET),
      },
      body: payload,
    });
    return response.status;
  }

  /** The account's balance and ledger as [kind, amount], read through the second replica. */
  async function accountOf(accountId: string) {
    const prisma = second.database.prisma;
    const account = await prisma.account.findUniqueOrThrow({ where: { id: accountId } });
    const entries = await prisma.ledgerEntry.findMany({
      where: { accountId },
      orderBy: { id: 'asc' },
    });
    const ledger = entries.map((entry) => [entry.kind, entry.amountMinor] as const);
    return { balanceMinor: account.balanceMinor, ledger };
  }

  const messages = () => slack.callsTo('chat.postMessage').map((call) => call.body.text);

  it('credits once when both replicas receive the same payment at the same instant', async () => {
    const { quote, session } = await paidTopUp('T0REPLICAS');
    const event = stripeEvent('checkout.session.completed', session);

    const together = await Promise.all([postEvent(first, event), postEvent(second, event)]);
    const later = await postEvent(second, event);

    expect([...together, later]).toEqual([200, 200, 200]);
    expect(await accountOf(quote.accountId)).toEqual({
      balanceMinor: 10_000n,
      ledger: [['topup', 10_000n]],
    });
    expect(messages()).toEqual([CREDITED_TEXT]);
  });

  it('debits each refunded share once when refunds reach both replicas together', async () => {
    const { quote, session } = await paidTopUp('T0REPLICAREFUND');
    await postEvent(first, stripeEvent('checkout.session.completed', session));
    const refunded = (total: number) =>
      stripeEvent(
        'charge.refunded',
        charge({
          amount: 11_900,
          amount_refunded: total,
          currency: 'usd',
          payment_intent: String(session.payment_intent),
        }),
      );
    const half = refunded(5_950);
    const whole = refunded(11_900);

    const answers = await Promise.all([
      postEvent(first, half),
      postEvent(second, half),
      postEvent(first, whole),
      postEvent(second, whole),
    ]);

    expect(answers).toEqual([200, 200, 200, 200]);
    const { balanceMinor, ledger } = await accountOf(quote.accountId);
    expect(balanceMinor).toBe(0n);
    // Whichever total arrived first, the refunds add up to the whole credit.
    const refunds = ledger.filter(([kind]) => kind === 'refund').map(([, amount]) => amount);
    expect(refunds.reduce((sum, amount) => sum + amount, 0n)).toBe(-10_000n);
    expect(messages()).toHaveLength(1 + refunds.length);
  });

  it('credits a missed payment once when both replicas reconcile at the same time', async () => {
    const { quote } = await paidTopUp('T0REPLICARECONCILE');
    const [one, two] = [first.bot.stripe, second.bot.stripe];
    if (!one || !two) throw new Error('the replicas run without Stripe');

    const now = new Date();
    const reports = await Promise.all([reconcileCheckouts(one, now), reconcileCheckouts(two, now)]);

    expect(reports.map((report) => report.credited).sort()).toEqual([0, 1]);
    expect(await accountOf(quote.accountId)).toEqual({
      balanceMinor: 10_000n,
      ledger: [['topup', 10_000n]],
    });
    expect(messages()).toEqual([CREDITED_TEXT]);
  });
});
