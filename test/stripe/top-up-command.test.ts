import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { databaseTargets } from '../support/databases.ts';
import { type FakeSlack, slackUsers, startFakeSlack } from '../support/slack-api.ts';
import { type RunningSlackBot, startSlackBot, stripeEnv } from '../support/slack-bot.ts';
import { slashCommand, type ViewStateValue, viewSubmission } from '../support/slack-requests.ts';
import {
  type FakeStripe,
  type RecordedStripeRequest,
  startFakeStripe,
} from '../support/stripe-api.ts';
import { stripeErrorBody } from '../support/stripe-events.ts';

interface EphemeralReply {
  response_type: string;
  text: string;
  blocks?: { type: string; elements?: { text: { text: string }; url?: string }[] }[];
}

const SESSIONS = '/v1/checkout/sessions';
const PUBLIC_URL = stripeEnv('').PUBLIC_URL;

const GERMAN_PROFILE = {
  legalName: 'Beispiel Cloud GmbH',
  addressLine1: 'Musterstraße 12',
  addressLine2: '',
  city: 'Berlin',
  region: '',
  postalCode: '10115',
  country: 'DE',
  taxId: 'DE 136 695 976',
};

/** What an admin typed into the billing modal, in `view.state.values` form. */
function typed(fields: Record<string, string>): Record<string, Record<string, ViewStateValue>> {
  const state = (blockId: string, value: string): ViewStateValue =>
    blockId === 'country'
      ? {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: value }, value },
        }
      : { type: 'plain_text_input', value };
  return Object.fromEntries(
    Object.entries(fields).map(([blockId, value]) => [blockId, { value: state(blockId, value) }]),
  );
}

const linkButton = (reply: EphemeralReply) =>
  (reply.blocks ?? []).flatMap((block) => block.elements ?? []).find((element) => element.url);

// The quarter-hourly reconciliation may list sessions at any moment; it is no command's doing.
const byCommands = (requests: RecordedStripeRequest[]) =>
  requests.filter((request) => !(request.method === 'GET' && request.path === SESSIONS));

/** A Slack workspace with Stripe configured: its bot, both stand-ins and the steps of a test. */
function slackWithStripe(env: Record<string, string>, open?: () => Promise<Database>) {
  const world = {} as { slack: FakeSlack; stripe: FakeStripe; bot: RunningSlackBot; db?: Database };
  beforeAll(async () => {
    world.slack = await startFakeSlack();
    for (const user of [slackUsers.admin(), slackUsers.member()])
      world.slack.users.set(user.id, user);
    world.stripe = await startFakeStripe();
    world.db = open ? await open() : undefined;
    const botEnv = { ...stripeEnv(world.stripe.url), ...env };
    world.bot = await startSlackBot(world.slack, botEnv, world.db);
  });
  afterAll(async () => {
    await world.bot?.close();
    await world.db?.close();
    await world.stripe?.close();
    await world.slack?.close();
  });
  beforeEach(() => world.stripe.reset());

  /** Sends `/billing <text>`; `reply` resolves with what the bot posted to the response_url. */
  async function send(team: string, text: string, user = 'U0ADMIN') {
    const responseUrl = world.slack.responseUrl();
    const id = new URL(responseUrl).pathname.split('/').pop();
    const request = slashCommand({ text, team_id: team, user_id: user, response_url: responseUrl });
    const response = await world.bot.send(request);
    const reply = async () =>
      (await world.slack.waitFor(`response_url:${id}`))[0]?.body as unknown as EphemeralReply;
    return { response, responseUrlId: `response_url:${id}`, reply };
  }
  const billing = async (team: string, text: string, user = 'U0ADMIN') =>
    (await send(team, text, user)).reply();

  async function accountOf(team: string) {
    const workspace = await world.bot.database.prisma.workspace.findUniqueOrThrow({
      where: { platform_externalId: { platform: 'slack', externalId: team } },
      include: { account: true },
    });
    return workspace.account;
  }
  async function quotesOf(team: string) {
    const { id } = await accountOf(team);
    return world.bot.database.prisma.topUpQuote.findMany({
      where: { accountId: id },
      orderBy: { createdAt: 'asc' },
    });
  }

  /** Opens the modal with /billing edit, submits `fields` and returns Slack's answer. */
  async function submitProfile(team: string, fields: Record<string, string>) {
    const opened = world.slack.callsTo('views.open').length;
    await send(team, 'edit');
    const open = (await world.slack.waitFor('views.open', opened + 1))[opened];
    const view = open?.body.view as { private_metadata: string; blocks: object[] };
    const response = await world.bot.send(
      viewSubmission({
        teamId: team,
        callbackId: 'billing_profile',
        userId: 'U0ADMIN',
        privateMetadata: view.private_metadata,
        blocks: view.blocks,
        values: typed(fields),
      }),
    );
    return { status: response.status, body: JSON.parse(response.body || 'null'), view };
  }

  return { world, send, billing, accountOf, quotesOf, submitProfile };
}

describe.each(databaseTargets())('/billing add in Slack with Stripe, on $name', ({ open }) => {
  const { world, send, billing, accountOf, quotesOf, submitProfile } = slackWithStripe({}, open);
  const sessionRequests = () => world.stripe.requestsTo('POST', SESSIONS);

  it('answers an admin with a Pay button for a Checkout Session made from the stored quote', async () => {
    const reply = await billing('T0TOPUP01', 'add 100');

    const [session] = [...world.stripe.sessions.values()];
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toBe(`Pay $100.00: ${session?.url}`);
    expect(linkButton(reply)).toMatchObject({ text: { text: 'Pay $100.00' }, url: session?.url });

    const account = await accountOf('T0TOPUP01');
    const [quote] = await quotesOf('T0TOPUP01');
    const [customerId] = [...world.stripe.customers.keys()];
    expect(account.stripeCustomerId).toBe(customerId);
    const [created] = sessionRequests();
    const ids = { quote_id: quote?.id, account_id: account.id };
    expect(created?.idempotencyKey).toBe(`checkout:${quote?.id}`);
    expect(created?.body).toMatchObject({
      mode: 'payment',
      customer: customerId,
      client_reference_id: quote?.id,
      line_items: [{ quantity: '1', price_data: { currency: 'usd', unit_amount: '10000' } }],
      invoice_creation: { enabled: 'true' },
      expires_at: String(Math.floor(((quote?.createdAt.getTime() ?? 0) + 3_600_000) / 1000)),
      success_url: `${PUBLIC_URL}/billing/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${PUBLIC_URL}/billing/checkout/cancel`,
    });
    // Ids only: amounts are never read back from metadata.
    expect(created?.body.metadata).toEqual(ids);
    expect(created?.body.payment_intent_data).toEqual({ metadata: ids });
    expect([quote?.status, quote?.amountMinor, quote?.checkoutUrl]).toEqual([
      'open',
      10_000n,
      session?.url,
    ]);
  });

  it('gives a double click the same link from one session, and another amount its own', async () => {
    const [first, second] = await Promise.all([
      billing('T0TOPUP02', 'add 100'),
      billing('T0TOPUP02', 'add 100'),
    ]);
    const third = await billing('T0TOPUP02', 'add 100');
    const other = await billing('T0TOPUP02', 'add 250');

    const url = linkButton(first)?.url;
    expect([linkButton(second)?.url, linkButton(third)?.url]).toEqual([url, url]);
    expect(linkButton(other)?.url).not.toBe(url);
    const made = sessionRequests().filter((request) => !request.replayed && request.status === 200);
    expect(made.map((request) => request.body.line_items)).toEqual([
      [expect.objectContaining({ price_data: expect.objectContaining({ unit_amount: '10000' }) })],
      [expect.objectContaining({ price_data: expect.objectContaining({ unit_amount: '25000' }) })],
    ]);
    expect(world.stripe.sessions.size).toBe(2);
  });

  it('makes the Stripe customer from the saved billing details, with a typed tax id', async () => {
    const saved = await submitProfile('T0TOPUP03', GERMAN_PROFILE);
    expect(saved.status).toBe(200);

    await billing('T0TOPUP03', 'add 100');

    const account = await accountOf('T0TOPUP03');
    const customerId = account.stripeCustomerId ?? '';
    expect(world.stripe.customers.get(customerId)).toMatchObject({
      name: 'Beispiel Cloud GmbH',
      address: { line1: 'Musterstraße 12', city: 'Berlin', postal_code: '10115', country: 'DE' },
      metadata: { account_id: account.id },
    });
    const taxIds = world.stripe.taxIds.get(customerId) ?? [];
    expect(taxIds.map(({ type, value }) => ({ type, value }))).toEqual([
      { type: 'eu_vat', value: 'DE136695976' },
    ]);
  });

  it('denies a member and asks Stripe nothing', async () => {
    const reply = await billing('T0TOPUP04', 'add 100', 'U0MEMBER');

    expect(reply.text).toBe('Only billing admins can add credits.');
    expect(byCommands(world.stripe.requests)).toEqual([]);
  });

  it('explains an amount Stripe refuses as too small, fails the quote, and starts afresh', async () => {
    const message = "The Checkout Session's total amount due must add up to at least $0.50 usd";
    const body = stripeErrorBody('invalid_request_error', message, { code: 'amount_too_small' });
    world.stripe.failNext(SESSIONS, { status: 400, body });

    const reply = await billing('T0TOPUP05', 'add 100');

    expect(reply.text).toContain('below the smallest charge Stripe allows');
    expect(reply.text).toContain('Nothing was charged.');
    expect(reply.text).not.toContain('total amount due');
    expect(reply.text).not.toContain('invalid_request_error');
    const [failed] = await quotesOf('T0TOPUP05');
    expect(failed).toMatchObject({ status: 'failed', openKey: null, checkoutUrl: null });

    const again = await billing('T0TOPUP05', 'add 100');

    const quotes = await quotesOf('T0TOPUP05');
    expect(quotes.map((quote) => quote.status)).toEqual(['failed', 'open']);
    expect(linkButton(again)?.url).toBe(quotes[1]?.checkoutUrl);
    expect(sessionRequests().at(-1)?.idempotencyKey).toBe(`checkout:${quotes[1]?.id}`);
  });

  it('keeps the quote pending when Stripe fails every try, and asks again with the same key', async () => {
    world.stripe.failNext(SESSIONS, { status: 500, times: 3 });

    const reply = await billing('T0TOPUP06', 'add 100');

    expect(reply.text).toContain('Stripe could not be reached');
    expect(reply.text).toContain('nothing was charged');
    const [quote] = await quotesOf('T0TOPUP06');
    expect(quote?.status).toBe('pending');
    expect(sessionRequests().map((request) => request.status)).toEqual([500, 500, 500]);

    const again = await billing('T0TOPUP06', 'add 100');

    expect(linkButton(again)?.url).toBeDefined();
    expect(await quotesOf('T0TOPUP06')).toHaveLength(1);
    const keys = new Set(sessionRequests().map((request) => request.idempotencyKey));
    expect([...keys]).toEqual([`checkout:${quote?.id}`]);
    expect(world.stripe.sessions.size).toBe(1);
  });

  it('acks the slash command before a slow Stripe has answered', async () => {
    world.stripe.delayMs.set(SESSIONS, 3500);

    const { response, responseUrlId, reply } = await send('T0TOPUP07', 'add 100');

    expect(response.status).toBe(200);
    expect(sessionRequests().every((request) => request.status === 0)).toBe(true);
    expect(world.slack.callsTo(responseUrlId)).toEqual([]);
    expect(linkButton(await reply())?.url).toBe([...world.stripe.sessions.values()][0]?.url);
    expect(sessionRequests().map((request) => request.status)).toEqual([200]);
  });

  it('makes one page for a double click while Stripe is slow, and offers it afterwards', async () => {
    world.stripe.delayMs.set(SESSIONS, 3500);

    const clicks = [billing('T0TOPUP08', 'add 100'), billing('T0TOPUP08', 'add 100')];
    const replies = await Promise.all(clicks);
    const later = await billing('T0TOPUP08', 'add 100');

    const [session] = [...world.stripe.sessions.values()];
    expect(world.stripe.sessions.size).toBe(1);
    expect(replies.map((reply) => linkButton(reply)?.url)).toContain(session?.url);
    expect(linkButton(later)?.url).toBe(session?.url);
    const quotes = await quotesOf('T0TOPUP08');
    expect(quotes.map((quote) => [quote.status, quote.stripeSessionId])).toEqual([
      ['open', session?.id],
    ]);
  });

  it('shows a tax id the Stripe customer refuses on the form and keeps the saved details', async () => {
    const first = await submitProfile('T0TOPUP09', GERMAN_PROFILE);
    await billing('T0TOPUP09', 'add 100');
    const { stripeCustomerId, id: accountId } = await accountOf('T0TOPUP09');
    const taxIdPath = `/v1/customers/${stripeCustomerId}/tax_ids`;
    const refusal = stripeErrorBody('invalid_request_error', 'Invalid value for eu_vat.', {
      code: 'tax_id_invalid',
      param: 'value',
    });
    world.stripe.failNext(taxIdPath, { status: 400, method: 'POST', body: refusal });
    const profileNow = () =>
      world.bot.database.prisma.billingProfile.findUnique({ where: { accountId } });
    const before = await profileNow();

    const changed = { ...GERMAN_PROFILE, legalName: 'Neuer Name GmbH', taxId: 'DE129273398' };
    const answer = await submitProfile('T0TOPUP09', changed);

    expect(first.status).toBe(200);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      response_action: 'errors',
      errors: { taxId: expect.stringContaining('Stripe did not accept this tax ID') },
    });
    const blockIds = (answer.view.blocks as { block_id?: string }[]).map((block) => block.block_id);
    expect(blockIds).toContain('taxId');
    const after = await profileNow();
    expect(after).toEqual(before);
    expect(after).toMatchObject({ legalName: 'Beispiel Cloud GmbH', taxId: 'DE136695976' });
    // The refused id was never added, so the accepted one is kept on the customer too.
    expect(world.stripe.customers.get(stripeCustomerId ?? '')?.name).toBe('Beispiel Cloud GmbH');
    const taxIds = world.stripe.taxIds.get(stripeCustomerId ?? '') ?? [];
    expect(taxIds.map((taxId) => taxId.value)).toEqual(['DE136695976']);
  });
});

describe('/billing add in Slack with Stripe, in yen', () => {
  const { world, billing } = slackWithStripe({ BILLING_CURRENCY: 'jpy' });

  it('charges a zero-decimal currency in whole yen', async () => {
    const reply = await billing('T0TOPUPJPY', 'add 5000');

    const [created] = world.stripe.requestsTo('POST', SESSIONS);
    expect(created?.body.line_items).toEqual([
      expect.objectContaining({
        quantity: '1',
        price_data: expect.objectContaining({ currency: 'jpy', unit_amount: '5000' }),
      }),
    ]);
    expect(reply.text).toMatch(/^Pay ¥5,000: https:\/\//);
    expect(linkButton(reply)?.text.text).toBe('Pay ¥5,000');
  });
});
