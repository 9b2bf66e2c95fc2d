// Signed `checkout.session.completed` events posted to the bot's Stripe webhook, 16 at a time,
// a tenth of them delivered twice (as Stripe redelivers: the same event, signed anew), in a
// shuffled order so that some copies race their first delivery. The bot is composed in this
// process on the database under test; the baseline is single-row insert transactions through
// the same Prisma client on the same database.
import type Stripe from 'stripe';
import { findOrCreateAccount } from '../src/billing/accounts.ts';
import { openTopUpQuote, recordCheckoutLink, type TopUpQuote } from '../src/billing/topups.ts';
import type { PrismaClient } from '../src/db/database.ts';
import { slackUsers, startFakeSlack } from '../test/support/slack-api.ts';
import {
  type RunningSlackBot,
  STRIPE_WEBHOOK_SECRET,
  startSlackBot,
  stripeEnv,
} from '../test/support/slack-bot.ts';
import { type FakeStripe, startFakeStripe } from '../test/support/stripe-api.ts';
import { signStripePayload, stripeEvent } from '../test/support/stripe-events.ts';
import { deliverWebhook } from '../test/support/stripe-flow.ts';
import { eachConcurrently, type LoopResult } from './measure.ts';
import { CONCURRENCY } from './slack-commands.ts';
import type { Row } from './table.ts';

const WORKSPACES = 20;
const TURNS = 5;

export interface WebhookFigures {
  eventsPerSecond: number;
  insertsPerSecond: number;
  events: number;
  /** Null when every quote was credited once and every balance is the sum of its quotes. */
  problem: string | null;
}

/** Credits `quotes` paid top-ups on the database at `databaseUrl` (a `file:` or a server). */
export async function benchWebhook(databaseUrl: string, quotes: number): Promise<WebhookFigures> {
  const slack = await startFakeSlack();
  slack.users.set('U0ADMIN', slackUsers.admin());
  const stripe = await startFakeStripe();
  const env = { ...stripeEnv(stripe.url), DATABASE_URL: databaseUrl };
  const bot = await startSlackBot(slack, env);
  try {
    const { prisma } = bot.database;
    const paid = await openPaidQuotes(prisma, stripe, quotes);
    const deliveries = shuffled([...paid, ...paid.slice(0, Math.round(quotes / 10))]);
    await createBaselineTable(prisma);

    // The events and the baseline take turns, so that the machine's other work weighs on both.
    let eventsMs = 0;
    let insertsMs = 0;
    for (let turn = 0; turn < TURNS; turn++) {
      const slice = deliveries.filter((_, index) => index % TURNS === turn);
      eventsMs += (await postEvents(bot, slice)).elapsedMs;
      insertsMs += (await insertRows(prisma, slice.length, turn)).elapsedMs;
    }
    await prisma.$executeRawUnsafe('DROP TABLE bench_single_row_inserts');

    return {
      eventsPerSecond: (deliveries.length * 1000) / eventsMs,
      insertsPerSecond: (deliveries.length * 1000) / insertsMs,
      events: deliveries.length,
      problem: await creditProblem(prisma, paid),
    };
  } finally {
    await bot.close();
    await Promise.all([slack.close(), stripe.close()]);
  }
}

export function webhookRow(database: string, figures: WebhookFigures): Row {
  const deliveries = figures.events.toLocaleString('en-US');
  return {
    what: `Stripe webhook, ${database}: events/s (${deliveries} deliveries, 10% repeats)`,
    ours: figures.eventsPerSecond,
    baseline: figures.insertsPerSecond,
    baselineIs: 'single-row insert transactions, same database',
    check: figures.problem === null ? 'each quote credited once' : `WRONG: ${figures.problem}`,
  };
}

interface PaidQuote {
  quote: TopUpQuote;
  /** The JSON of its `checkout.session.completed` event, as Stripe posts it. */
  event: string;
}

// Quotes are made as `/billing add` makes them (stored, then opened with their session), by
// different admins of a few workspaces, for amounts of 5 to 500 credits.
async function openPaidQuotes(prisma: PrismaClient, stripe: FakeStripe, count: number) {
  const workspaces = Array.from({ length: WORKSPACES }, (_, index) => ({
    platform: 'slack' as const,
    externalId: `T0BENCH${index}`,
  }));
  const accounts = await Promise.all(
    workspaces.map((workspace) => findOrCreateAccount(prisma, workspace, 'usd')),
  );
  const paid: PaidQuote[] = [];
  await eachConcurrently(CONCURRENCY, [...Array(count).keys()], async (index) => {
    const account = accounts[index % WORKSPACES] as (typeof accounts)[number];
    const workspace = workspaces[index % WORKSPACES] as (typeof workspaces)[number];
    const requester = { platform: 'slack' as const, userId: `U0BENCH${index}`, userName: null };
    // The confirmation goes back to the channel where the top-up was asked for.
    const place = { workspace, channelId: 'C0GENERAL' };
    const amountMinor = BigInt(500 + ((index * 7919) % 496) * 100);
    const { quote } = await openTopUpQuote(
      prisma,
      { account, amountMinor, requester, place },
      new Date(),
    );

    const session = stripe.addSession({
      client_reference_id: quote.id,
      currency: 'usd',
      amount_subtotal: Number(amountMinor),
      amount_total: Number(amountMinor),
    });
    const url = `https://checkout.stripe.test/c/pay/${session.id}`;
    const expiresAt = new Date(Date.now() + 60 * 60 * 1000);
    const opened = await recordCheckoutLink(prisma, quote.id, {
      sessionId: session.id,
      url,
      expiresAt,
    });
    const event = stripeEvent<Stripe.Checkout.Session>('checkout.session.completed', session);
    paid.push({ quote: opened, event: JSON.stringify(event) });
  });
  return paid;
}

function postEvents(bot: RunningSlackBot, deliveries: PaidQuote[]): Promise<LoopResult> {
  return eachConcurrently(CONCURRENCY, deliveries, async ({ event }) => {
    const signature = signStripePayload(event, STRIPE_WEBHOOK_SECRET);
    const answer = await deliverWebhook(bot, event, signature);
    if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`);
  });
}

async function createBaselineTable(prisma: PrismaClient) {
  await prisma.$executeRawUnsafe(`CREATE TABLE bench_single_row_inserts (
    id bigserial PRIMARY KEY,
    idempotency_key varchar(255) NOT NULL UNIQUE,
    amount_minor bigint NOT NULL
  )`);
}

function insertRows(prisma: PrismaClient, count: number, turn: number): Promise<LoopResult> {
  return eachConcurrently(CONCURRENCY, [...Array(count).keys()], async (index) => {
    await prisma.$transaction(async (tx) => {
      const key = `turn-${turn}-row-${index}`;
      await tx.$executeRaw`INSERT INTO bench_single_row_inserts (idempotency_key, amount_minor)
        VALUES (${key}, ${index})`;
    });
  });
}

/** What is wrong with the credits, or null: each quote once, each balance its quotes' sum. */
async function creditProblem(prisma: PrismaClient, paid: PaidQuote[]): Promise<string | null> {
  const quoteIds = paid.map(({ quote }) => quote.id);
  const credited = await prisma.topUpQuote.count({
    where: { id: { in: quoteIds }, status: 'credited' },
  });
  if (credited !== paid.length) return `${credited} of ${paid.length} quotes credited`;

  const expected = new Map<string, bigint>();
  for (const { quote } of paid) {
    expected.set(quote.accountId, (expected.get(quote.accountId) ?? 0n) + quote.amountMinor);
  }
  const accounts = await prisma.account.findMany({ where: { id: { in: [...expected.keys()] } } });
  const entries = await prisma.ledgerEntry.count({
    where: { accountId: { in: [...expected.keys()] }, kind: 'topup' },
  });
  if (entries !== paid.length) return `${entries} top-up entries for ${paid.length} quotes`;
  const off = accounts.filter((account) => account.balanceMinor !== expected.get(account.id));
  return off.length === 0 ? null : `${off.length} balances differ from their quotes' sum`;
}

function shuffled<T>(items: T[]): T[] {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
  return items;
}
