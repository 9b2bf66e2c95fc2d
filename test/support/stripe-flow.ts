// The steps of a paid top-up as the tests of the Stripe webhook, reconciliation and alerts drive
// it: Slack and Stripe played by their stand-ins, the bot composed for real between them, every
// webhook delivery signed with the endpoint's secret.
import type Stripe from 'stripe';
import { expect } from 'vitest';
import type { TopUpQuote } from '../../src/billing/topups.ts';
import type { Database, PrismaClient } from '../../src/db/database.ts';
import { type FakeSlack, type SlackUserFixture, slackUsers, startFakeSlack } from './slack-api.ts';
import {
  type RunningSlackBot,
  STRIPE_WEBHOOK_SECRET,
  startSlackBot,
  stripeEnv,
} from './slack-bot.ts';
import { type SlashCommandFields, slashCommand } from './slack-requests.ts';
import { type FakeStripe, startFakeStripe } from './stripe-api.ts';
import { charge, signStripePayload, stripeEvent } from './stripe-events.ts';

/** What a payer of `/billing add 100` pays in cents: $100.00 of credits plus $19.00 of tax. */
export const PAID_CENTS = 11_900;

/** The paid fields of a `/billing add 100` session, with the tax broken out as Stripe does. */
export const PAID_WITH_TAX = {
  amount_total: PAID_CENTS,
  total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 1_900 },
} satisfies Partial<Stripe.Checkout.Session>;

/** The channel's confirmation of `/billing add 100` by Ada Admin on a zero balance. */
export const CREDITED_TEXT = 'Ada Admin added $100.00 in credits. New balance: $100.00.';

/** Slack's and Stripe's stand-ins, the bot that talks to both, and the steps of a top-up. */
export interface StripeFlow {
  slack: FakeSlack;
  stripe: FakeStripe;
  bot: RunningSlackBot;
  /**
   * `/billing add 100` by Ada Admin in C0GENERAL of `team`, sent to `on`: the reply with the
   * payment link, and the quote it stored, whose Checkout Session is still open.
   */
  requestTopUp(
    team: string,
    on?: RunningSlackBot,
  ): Promise<{ replyText: string; quote: TopUpQuote }>;
  /** Posts an event to `on` as Stripe does: the JSON bytes, signed now with the endpoint's secret. */
  postEvent(event: unknown, on?: RunningSlackBot): Promise<WebhookAnswer>;
  /** Stops the bot, closes the database it was given, then the stand-ins. */
  close(): Promise<void>;
}

/** The status and JSON body of the webhook's answer. */
export interface WebhookAnswer {
  status: number;
  body: unknown;
}

export interface StripeFlowOptions {
  /** The bot's database, closed with the flow; the bot opens its own in memory when absent. */
  database?: Database;
  /** Settings added to the ones that point the bot at the Stripe stand-in. */
  env?: Record<string, string>;
  /** The users Slack's stand-in knows; Ada Admin alone when absent. */
  users?: SlackUserFixture[];
}

/** Starts the stand-ins, then the bot with payments pointed at the Stripe one. */
export async function startStripeFlow(options: StripeFlowOptions = {}): Promise<StripeFlow> {
  const slack = await startFakeSlack();
  for (const user of options.users ?? [slackUsers.admin()]) slack.users.set(user.id, user);
  const stripe = await startFakeStripe();

  const env = { ...stripeEnv(stripe.url), ...options.env };
  const bot = await startSlackBot(slack, env, options.database);

  async function requestTopUp(team: string, on = bot) {
    const command = { text: 'add 100', user_id: 'U0ADMIN', team_id: team };
    const replyText = String((await billingCommand({ slack, bot: on }, command))?.text);

    const stripeSessionId = replyText.split('/').pop() ?? '';
    const where = { stripeSessionId };
    return { replyText, quote: await on.database.prisma.topUpQuote.findUniqueOrThrow({ where }) };
  }

  return {
    slack,
    stripe,
    bot,
    requestTopUp,
    postEvent(event, on = bot) {
      const payload = JSON.stringify(event);
      return deliverWebhook(on, payload, signStripePayload(payload, STRIPE_WEBHOOK_SECRET));
    },
    async close() {
      await bot.close();
      await options.database?.close();
      await Promise.all([slack.close(), stripe.close()]);
    },
  };
}

/** A `/billing` command sent to `bot` as Slack sends it; the reply posted to its response_url. */
export async function billingCommand(
  { slack, bot }: Pick<StripeFlow, 'slack' | 'bot'>,
  fields: Partial<SlashCommandFields>,
): Promise<{ text: string; blocks: unknown[] }> {
  const responseUrl = slack.responseUrl();
  const replyTo = `response_url:${new URL(responseUrl).pathname.split('/').pop()}`;

  const sent = await bot.send(slashCommand({ ...fields, response_url: responseUrl }));
  expect(sent.status).toBe(200);

  const [reply] = await slack.waitFor(replyTo);
  return reply?.body as { text: string; blocks: unknown[] };
}

/** Posts `payload` to the bot's Stripe webhook, with `signature` as its `stripe-signature`. */
export async function deliverWebhook(
  bot: RunningSlackBot,
  payload: string,
  signature: string | null,
): Promise<WebhookAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['stripe-signature'] = signature;

  const url = `${bot.baseUrl}/stripe/webhook`;
  const response = await fetch(url, { method: 'POST', headers, body: payload });
  return { status: response.status, body: (await response.json()) as unknown };
}

/** `charge.refunded` for the $119.00 paid through `paymentIntentId`, `refundedCents` back so far. */
export function refundedEvent(paymentIntentId: string, refundedCents: number) {
  const refunded = charge({
    amount: PAID_CENTS,
    amount_refunded: refundedCents,
    currency: 'usd',
    payment_intent: paymentIntentId,
  });
  return stripeEvent('charge.refunded', refunded);
}

/** The account's balance and its ledger entries, oldest first, as stored now. */
export async function ledgerOf(prisma: PrismaClient, accountId: string) {
  const account = await prisma.account.findUniqueOrThrow({ where: { id: accountId } });
  const where = { accountId };
  const entries = await prisma.ledgerEntry.findMany({ where, orderBy: { id: 'asc' } });
  return { balanceMinor: account.balanceMinor, entries };
}

/** The quote as stored now, its account's balance and ledger as [kind, amount, key]. */
export async function topUpState(prisma: PrismaClient, quoteId: string) {
  const quote = await prisma.topUpQuote.findUniqueOrThrow({ where: { id: quoteId } });
  const { balanceMinor, entries } = await ledgerOf(prisma, quote.accountId);
  const ledger = entries.map((entry) => [entry.kind, entry.amountMinor, entry.idempotencyKey]);
  return { quote, balanceMinor, ledger };
}
