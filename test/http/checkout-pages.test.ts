import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../support/slack-api.ts';
import { type RunningSlackBot, startSlackBot, stripeEnv } from '../support/slack-bot.ts';
import { type FakeStripe, startFakeStripe } from '../support/stripe-api.ts';

// What a payer's browser could be sent back with: Stripe fills in the session id, but anyone can
// craft a link to the page with a query of their own.
const HOSTILE_QUERY = `?session_id=${encodeURIComponent('cs_test_ECHO<script>alert(1)</script>')}`;

describe('the Checkout return pages of the composed bot', () => {
  let slack: FakeSlack;
  let stripe: FakeStripe;
  let bot: RunningSlackBot;
  beforeAll(async () => {
    slack = await startFakeSlack();
    stripe = await startFakeStripe();
    bot = await startSlackBot(slack, stripeEnv(stripe.url));
  });
  afterAll(async () => {
    await bot?.close();
    await stripe?.close();
    await slack?.close();
  });

  it.each([
    ['/billing/checkout/success', 'Payment received', 'Your credits appear in chat shortly'],
    ['/billing/checkout/cancel', 'Payment cancelled', 'Nothing was charged.'],
  ])('answers %s with an HTML page headed "%s"', async (path, heading, message) => {
    const response = await fetch(`${bot.baseUrl}${path}${HOSTILE_QUERY}`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toContain(`<h1>${heading}</h1>`);
    expect(html).toContain(`<title>${heading} · billing-bot</title>`);
    expect(html).toContain(message);
  });

  it.each(['/billing/checkout/success', '/billing/checkout/cancel'])(
    'echoes nothing of the query string on %s',
    async (path) => {
      const html = await (await fetch(`${bot.baseUrl}${path}${HOSTILE_QUERY}`)).text();

      for (const echoed of ['cs_test_ECHO', 'alert(1)', '<script', '%3Cscript', 'session_id']) {
        expect(html).not.toContain(echoed);
      }
    },
  );

  it('credits nothing and asks Stripe nothing when a return page is visited', async () => {
    await fetch(`${bot.baseUrl}/billing/checkout/success?session_id=cs_test_00000000000001`);

    // The quarter-hourly reconciliation may list sessions at any moment; nothing else may run.
    const listing = (request: { method: string; path: string }) =>
      request.method === 'GET' && request.path === '/v1/checkout/sessions';
    expect(stripe.requests.filter((request) => !listing(request))).toEqual([]);
    expect(await bot.database.prisma.ledgerEntry.count()).toBe(0);
  });
});
