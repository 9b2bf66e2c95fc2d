// `charge.refunded`: money went back to the payer, so the refunded share of the credits goes
// too. Stripe reports the running total refunded, which makes late or repeated events harmless.
import type Stripe from 'stripe';
import { debitRefund } from '../../billing/topup-reversals.ts';
import { noticeTargetOf, refundNotice } from '../../commands/topup-notices.ts';
import { ledgerEntriesTotal } from '../../metrics.ts';
import { idOf, type WebhookDeps } from './webhook-deps.ts';

export async function chargeRefunded(event: Stripe.Event, deps: WebhookDeps) {
  const charge = event.data.object as Stripe.Charge;
  const paymentIntentId = idOf(charge.payment_intent);
  if (!paymentIntentId) return;

  const outcome = await debitRefund(deps.prisma, {
    paymentIntentId,
    refundedTotal: BigInt(charge.amount_refunded),
    chargedAmount: BigInt(charge.amount),
  });
  if (outcome.status !== 'applied') return;
  ledgerEntriesTotal.inc({ kind: 'refund', direction: 'debit' });
  deps.logger.info({ charge_id: charge.id, account_id: outcome.quote.accountId }, 'refund debited');
  const notice = refundNotice(outcome.quote, -outcome.amountMinor, outcome.balanceMinor);
  await deps.notifier.toChannel(noticeTargetOf(outcome.quote), notice);
}
