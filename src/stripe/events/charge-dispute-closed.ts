// `charge.dispute.closed`: won (or closed as a mere inquiry) releases the held credits; lost
// keeps them taken back.
import type Stripe from 'stripe';
import { closeDispute } from '../../billing/topup-reversals.ts';
import { disputeClosedNotice, noticeTargetOf } from '../../commands/topup-notices.ts';
import { disputeReport } from './dispute-report.ts';
import type { WebhookDeps } from './webhook-deps.ts';

export async function chargeDisputeClosed(event: Stripe.Event, deps: WebhookDeps) {
  const dispute = event.data.object as Stripe.Dispute;
  const report = disputeReport(dispute);
  if (!report) return;

  const result = dispute.status === 'lost' ? 'lost' : 'won';
  const outcome = await closeDispute(deps.prisma, report, result);
  if (outcome.status !== 'applied') return;
  // Won, never held: nothing moved and nobody was told of a hold, so nothing to say now.
  if (result === 'won' && outcome.amountMinor === 0n) return;
  deps.logger.info({ dispute_id: dispute.id, result }, 'dispute closed');
  const notice = disputeClosedNotice(
    outcome.quote,
    result,
    outcome.amountMinor,
    outcome.balanceMinor,
  );
  await deps.notifier.toChannel(noticeTargetOf(outcome.quote), notice);
}
