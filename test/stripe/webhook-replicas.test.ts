import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { reconcileCheckouts } from '../../src/jobs/reconcile-checkouts.ts';
import { createScratchDatabase, dropScratchDatabase } from '../support/databases.ts';
import { type RunningSlackBot, startSlackBot, stripeEnv } from '../support/slack-bot.ts';
import { stripeEvent } from '../support/stripe-events.ts';
import {
  CREDITED_TEXT,
  ledgerOf,
  PAID_CENTS,
  refundedEvent,
  type StripeFlow,
  startStripeFlow,
} from '../support/stripe-flow.ts';

const serverUrl = process.env.TEST_DATABASE_URL;

// Two replicas of the bot behind one load balancer: each its own composition, HTTP server and
// connection pool, sharing one PostgreSQL database, one Slack workspace and one Stripe account.
describe.skipIf(!serverUrl)('the Stripe webhook on two replicas sharing PostgreSQL', () => {
  let databaseUrl: string;
  let databases: Database[] = [];
  let flow: StripeFlow;
  let first: RunningSlackBot;
  let second: RunningSlackBot;
  beforeAll(async () => {
    databaseUrl = await createScratchDatabase(serverUrl ?? '');
    // Replicas start together: migrations at start-up must not trip over each other.
    databases = await Promise.all(
      [1, 2].map(() => openDatabase({ kind: 'postgres', url: databaseUrl })),
    );
    const [one, two] = databases;
    if (!one || !two) throw new Error('two database connections were not opened');
    flow = await startStripeFlow({ database: one });
    first = flow.bot;
    second = await startSlackBot(flow.slack, stripeEnv(flow.stripe.url), two);
  });
  afterAll(async () => {
    await second?.close();
    // The first replica, its database and the stand-ins; the second's database after them.
    await flow?.close();
    await Promise.all(databases.slice(1).map((database) => database.close()));
    if (databaseUrl) await dropScratchDatabase(serverUrl ?? '', databaseUrl);
  });
  beforeEach(() => flow.slack.reset());

  /** `/billing add 100` in `team`, asked through the first replica and paid at the stand-in. */
  async function paidTopUp(team: string) {
    const { quote } = await flow.requestTopUp(team);
    const session = flow.stripe.setSessionPaid(quote.stripeSessionId ?? '', {
      amount_total: PAID_CENTS,
    });
    return { quote, session };
  }

  const postEvent = async (replica: RunningSlackBot, event: unknown) =>
    (await flow.postEvent(event, replica)).status;

  /** The account's balance and ledger as [kind, amount], read through the second replica. */
  async function accountOf(accountId: string) {
    const { balanceMinor, entries } = await ledgerOf(second.database.prisma, accountId);
    const ledger = entries.map((entry) => [entry.kind, entry.amountMinor] as const);
    return { balanceMinor, ledger };
  }

  const messages = () => flow.slack.callsTo('chat.postMessage').map((call) => call.body.text);

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
    const refunded = (total: number) => refundedEvent(String(session.payment_intent), total);
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
