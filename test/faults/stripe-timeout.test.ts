import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createStripeClient } from '../../src/stripe/stripe-client.ts';
import { createStripePayments } from '../../src/stripe/stripe-payments.ts';
import { stripeEnv } from '../support/slack-bot.ts';
import { billingCommand, type StripeFlow, startStripeFlow } from '../support/stripe-flow.ts';

const SESSIONS = '/v1/checkout/sessions';
// Each try of the SDK gives up after this long here (production waits 10 s, too long to wait
// out in a test); Stripe's stand-in takes longer than all the tries with their pauses together.
const TIMEOUT_MS = 500;
const STRIPE_TAKES_MS = 5_000;

describe('/billing add when Stripe does not answer in time', () => {
  let flow: StripeFlow;
  beforeAll(async () => {
    flow = await startStripeFlow();
    // The composition as the bot makes it, with the one Stripe setting a test may shorten.
    const config = loadConfig({ DATABASE_URL: 'memory:', ...stripeEnv(flow.stripe.url) });
    if (!config.stripe) throw new Error('the test environment did not configure Stripe');
    flow.bot.bot.billing.payments = createStripePayments({
      stripe: createStripeClient(config.stripe, { timeoutMs: TIMEOUT_MS }),
      prisma: flow.bot.database.prisma,
      logger: createLogger('silent'),
      publicUrl: config.publicUrl,
    });
  });
  afterAll(() => flow?.close());

  const addCredits = async () =>
    (await billingCommand(flow, { team_id: 'T0TIMEOUT', user_id: 'U0ADMIN', text: 'add 100' }))
      .text;
  const sessionRequests = () => flow.stripe.requestsTo('POST', SESSIONS);

  async function quotes() {
    const workspace = await flow.bot.database.prisma.workspace.findUniqueOrThrow({
      where: { platform_externalId: { platform: 'slack', externalId: 'T0TIMEOUT' } },
    });
    const where = { accountId: workspace.accountId };
    return flow.bot.database.prisma.topUpQuote.findMany({ where, orderBy: { createdAt: 'asc' } });
  }

  /** Resolves once Stripe's stand-in has finished the first, slow, request. */
  async function stripeFinishesTheFirstRequest() {
    while (sessionRequests()[0]?.status === 0) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('tells the admin, keeps the quote pending, and gives the one page when asked again', async () => {
    flow.stripe.delayMs.set(SESSIONS, STRIPE_TAKES_MS);

    const first = await addCredits();

    expect(first).toMatch(
      /^Stripe could not be reached just now, so no payment link was made and nothing was charged\. Try again in a minute\. \(reference \w{6}\)$/,
    );
    const [quote] = await quotes();
    expect(quote).toMatchObject({ status: 'pending', checkoutUrl: null, stripeSessionId: null });
    // The SDK's own retries found Stripe still busy with the first try (409), never a new page.
    expect(sessionRequests().map((request) => request.status)).toEqual([0, 409, 409]);

    // Stripe finishes the page the bot no longer waits for; the admin asks again.
    await stripeFinishesTheFirstRequest();
    flow.stripe.delayMs.clear();
    const again = await addCredits();

    const [session, ...more] = flow.stripe.sessions.values();
    expect(more).toEqual([]);
    expect(again).toBe(`Pay $100.00: ${session?.url}`);
    expect(sessionRequests().at(-1)?.replayed).toBe(true);
    const keys = new Set(sessionRequests().map((request) => request.idempotencyKey));
    expect([...keys]).toEqual([`checkout:${quote?.id}`]);
    const after = await quotes();
    expect(after.map((one) => [one.id, one.status, one.stripeSessionId])).toEqual([
      [quote?.id, 'open', session?.id],
    ]);
  });
});
