// `/billing add <amount>`: a billing admin tops up credits. The quote is stored first, then the
// payment provider makes a page to pay it; the credits arrive later, when the payment does.

import type { Account } from '../billing/accounts.ts';
import type { Place } from '../billing/actors.ts';
import { BillingError } from '../billing/errors.ts';
import { formatMoney, parseTopUpAmount } from '../billing/money.ts';
import { abandonQuote, findQuote, openTopUpQuote, type TopUpQuote } from '../billing/topups.ts';
import { adminOnlyReply, type CommandContext, requesterIsAdmin } from './context.ts';
import { formatWhen } from './format.ts';
import type { BillingDeps, CheckoutResult, PaymentsPort, Reply } from './types.ts';

export async function addCommand(context: CommandContext, amountText: string): Promise<Reply> {
  const { deps, request, account } = context;
  if (!requesterIsAdmin(context)) return adminOnlyReply(request, 'add credits');

  if (!amountText) return invalid('Say how much to add, for example: /billing add 100');
  const amount = parseTopUpAmount(amountText, account.currency, deps.topUp);
  if (!amount.ok) return invalid(amount.reason);
  const formatted = formatMoney(amount.minor, account.currency);
  if (!deps.payments) return paymentsNotSetUp(formatted);

  const { workspace, actor } = request;
  const who = `${workspace.platform}:${workspace.externalId}:${actor.userId}`;
  const allowed = deps.topUpLimiter.take(who, deps.now());
  if (!allowed.ok) {
    return invalid(
      'That is many payment links in a short time. Wait ' +
        `${allowed.retryAfterSeconds} seconds, then ask again; links already sent still work.`,
    );
  }

  const place: Place = { workspace: request.workspace, channelId: request.channelId };
  const { quote, reused } = await openTopUpQuote(
    deps.prisma,
    { account, amountMinor: amount.minor, requester: request.actor, place },
    deps.now(),
  );
  if (quote.status === 'awaiting_payment') {
    const text =
      `A payment of ${formatted} that you started on ${formatWhen(quote.createdAt)} is on its ` +
      'way (bank payments can take a few days); the credits appear here when it arrives. ' +
      'No new payment link was made.';
    return { outcome: 'ok', text, blocks: [{ type: 'text', text }] };
  }
  try {
    const { link, warnings } = await checkoutOrWait(deps, quote, account, reused);
    const text =
      `Pay ${formatted} through Stripe Checkout; the link works until ` +
      `${formatWhen(link.expiresAt)}. The credits appear here once the payment goes through.`;
    return {
      outcome: 'ok',
      text: `Pay ${formatted}: ${link.url}`,
      blocks: [
        { type: 'text', text },
        ...warnings.map((warning) => ({ type: 'text' as const, text: warning })),
        { type: 'actions', actions: [{ id: 'link', label: `Pay ${formatted}`, url: link.url }] },
      ],
    };
  } catch (error) {
    // A refusal is final for this quote; an outage is not: the quote stays pending, so asking
    // again sends Stripe the same idempotency key and can only ever get one page.
    const refused =
      error instanceof BillingError &&
      (error.code === 'payment_refused' || error.code === 'invalid_amount');
    if (refused) await abandonQuote(deps.prisma, quote.id, error.message);
    throw error;
  }
}

// A double click while Stripe is still making the first click's page: Stripe answers the second
// request with "key in use", so the second waits for the first page instead of failing.
const IN_FLIGHT_WAIT_MS = 15_000;
const IN_FLIGHT_POLL_MS = 250;

async function checkoutOrWait(
  deps: BillingDeps,
  quote: TopUpQuote,
  account: Account,
  reused: boolean,
): Promise<CheckoutResult> {
  const payments = deps.payments as PaymentsPort;
  try {
    return await payments.checkoutFor(quote, account);
  } catch (error) {
    const inFlight =
      reused && error instanceof BillingError && error.code === 'payments_unavailable';
    if (!inFlight) throw error;
    for (let waited = 0; waited < IN_FLIGHT_WAIT_MS; waited += IN_FLIGHT_POLL_MS) {
      await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_POLL_MS));
      const now = await findQuote(deps.prisma, quote.id);
      if (now?.checkoutUrl) return payments.checkoutFor(now, account);
      if (now?.status !== 'pending') break;
    }
    throw error;
  }
}

function paymentsNotSetUp(formatted: string): Reply {
  const text =
    `Payments are not set up on this bot yet, so ${formatted} cannot be charged. An operator ` +
    'turns them on by setting STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (see the README). ' +
    'Nothing was charged.';
  return { outcome: 'error', text, blocks: [{ type: 'text', text }] };
}

function invalid(text: string): Reply {
  return { outcome: 'invalid', text, blocks: [{ type: 'text', text }] };
}
