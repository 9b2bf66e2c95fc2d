import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { slackUsers } from '../support/slack-api.ts';
import { viewSubmission } from '../support/slack-requests.ts';
import { type StripeFlow, startStripeFlow } from '../support/stripe-flow.ts';

// The amount form behind an alert's "Add credits" button, submitted through Bolt's receiver,
// with Stripe played by the stand-in.
describe('the "Add credits" form of a low-balance alert', () => {
  let flow: StripeFlow;
  beforeAll(async () => {
    const users = [slackUsers.admin(), slackUsers.member()];
    flow = await startStripeFlow({ users, env: { ALERT_CRON: '0 0 1 1 *' } });
  });
  afterAll(() => flow?.close());
  beforeEach(() => {
    flow.slack.reset();
    flow.stripe.reset();
  });

  function submit(userId: string, amount: string, viewId: string) {
    return flow.bot.send(
      viewSubmission({
        callbackId: 'billing_add_credits',
        userId,
        viewId,
        privateMetadata: 'C0ALERTS',
        values: { amount: { value: { type: 'plain_text_input', value: amount } } },
      }),
    );
  }

  it('answers at once that the link is being made, then shows the Pay button', async () => {
    const answer = await submit('U0ADMIN', '100', 'V0ADDCREDITS');
    const [update] = await flow.slack.waitFor('views.update');

    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(JSON.parse(answer.body).view)).toContain('Making the payment link');
    const [session] = [...flow.stripe.sessions.values()];
    expect(update?.body.view_id).toBe('V0ADDCREDITS');
    const view = update?.body.view as { blocks: { elements?: { url?: string }[] }[] };
    const urls = view.blocks.flatMap((block) => block.elements ?? []).map((e) => e.url);
    expect(urls).toEqual([session?.url]);
  });

  it('shows a member who submits anyway that only billing admins can, and makes no link', async () => {
    await submit('U0MEMBER', '100', 'V0MEMBERADD');
    const [update] = await flow.slack.waitFor('views.update');

    expect(JSON.stringify(update?.body.view)).toContain('Only billing admins can add credits');
    expect(flow.stripe.sessions.size).toBe(0);
  });

  it('explains an amount the currency cannot hold, and makes no link', async () => {
    await submit('U0ADMIN', '1.005', 'V0BADAMOUNT');
    const [update] = await flow.slack.waitFor('views.update');

    expect(JSON.stringify(update?.body.view)).toContain(
      'USD amounts have at most 2 decimals. Type it like 25.50.',
    );
    expect(flow.stripe.sessions.size).toBe(0);
  });
});
