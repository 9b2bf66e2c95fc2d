import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBot } from '../support/bot-process.ts';
import { STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET } from '../support/slack-bot.ts';
import { type FakeStripe, startFakeStripe } from '../support/stripe-api.ts';
import { stripeErrorBody } from '../support/stripe-events.ts';

describe('console adapter with Stripe, as a process', () => {
  let dataDir: string;
  let stripe: FakeStripe;
  let env: Record<string, string>;
  beforeEach(async () => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'console-top-up-')), 'pglite');
    stripe = await startFakeStripe();
    env = {
      DATABASE_URL: `file:${dataDir}`,
      STRIPE_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET,
      STRIPE_API_BASE: stripe.url,
      PUBLIC_URL: 'https://billing.example.test',
      PORT: '0',
    };
  });
  afterEach(async () => {
    await stripe.close();
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('prints the Checkout link of a piped /billing add and exits cleanly', async () => {
    const run = await runBot(env, ['/billing add 100']);

    const sessions = [...stripe.sessions.values()];
    expect(run.code).toBe(0);
    expect(sessions).toHaveLength(1);
    expect(run.stdout).toContain(`Pay $100.00: ${sessions[0]?.url}`);
    const [created] = stripe.requestsTo('POST', '/v1/checkout/sessions');
    expect(created?.apiKey).toBe(STRIPE_SECRET_KEY);
    expect(created?.body).toMatchObject({
      mode: 'payment',
      line_items: [{ quantity: '1', price_data: { currency: 'usd', unit_amount: '10000' } }],
      success_url:
        'https://billing.example.test/billing/checkout/success?session_id={CHECKOUT_SESSION_ID}',
    });
  });

  it('tells the console user that Stripe refused the amount, without its raw error', async () => {
    const message = "The Checkout Session's total amount due must add up to at least $0.50 usd";
    stripe.failNext('/v1/checkout/sessions', {
      status: 400,
      body: stripeErrorBody('invalid_request_error', message, { code: 'amount_too_small' }),
    });

    const run = await runBot(env, ['/billing add 100']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('below the smallest charge Stripe allows');
    expect(run.stdout).toContain('Nothing was charged.');
    expect(run.stdout).not.toContain('total amount due');
    expect(stripe.sessions.size).toBe(0);
  });
});
