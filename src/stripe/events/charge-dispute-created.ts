// `charge.dispute.created`: the payer's bank disputes a payment. Its share of the credits is
// held (debited) until the dispute closes, and the channel hears why the balance fell.
import type Stripe from 'stripe';
import { holdDispute } from '../../billing/topup-reversals.ts';
import { disputeOpenedNotice, noticeTargetOf } from '../../commands/topup-notices.ts';
import { ledgerEntriesTotal } from '../../metrics.ts';
import { disputeReport } from './dispute-report.ts';
import type { WebhookDeps } from './webhook-deps.ts';

export async function chargeDisputeCreated(event: Stripe.Event, deps: WebhookDeps) {
  const report = disputeReport(event.data.object as Stripe.Dispute);
  if (!report) return;

  const outcome = await holdDispute(deps.prisma, report);
  if (outcome.status !== 'applied') return;
  ledgerEntriesTotal.inc({ kind: 'dispute', direction: 'debit' });
  deps.logger.warn(
    { dispute_id: report.disputeId, account_id: outcome.quote.accountId },
    'dispute opened: credits held',
  );
  const notice = disputeOpenedNotice(outcome.quote, -outcome.amountMinor, outcome.balanceMinor);
  await deps.notifier.toChannel(noticeTargetOf(outcome.quote), notice);
}
