import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingCommand, type StripeFlow, startStripeFlow } from '../support/stripe-flow.ts';

// `/billing add` asked in a loop by one admin, through Slack, with Stripe's stand-in.
describe('the rate limit on payment links', () => {
  let flow: StripeFlow;
  beforeAll(async () => {
    flow = await startStripeFlow({ env: { ALERT_CRON: '0 0 1 1 *' } });
  });
  afterAll(async () => {
    await flow?.close();
  });

  const add = (amount: number, team = 'T0LOOP') =>
    billingCommand(flow, { text: `add ${amount}`, user_id: 'U0ADMIN', team_id: team });

  it('answers five links a minute, then asks the admin to wait, without asking Stripe', async () => {
    const links = [];
    for (const amount of [10, 20, 30, 40, 50]) links.push(await add(amount));
    const sessionsBefore = flow.stripe.sessions.size;

    const sixth = await add(60);
    const elsewhere = await add(60, 'T0OTHERTEAM');

    expect(links.map((link) => link.text.startsWith('Pay $'))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(sixth.text).toMatch(
      /^That is many payment links in a short time\. Wait \d+ seconds, then ask again; links already sent still work\.$/,
    );
    expect(flow.stripe.sessions.size).toBe(sessionsBefore + 1);
    expect(elsewhere.text).toMatch(/^Pay \$60\.00: /);
  });
});
