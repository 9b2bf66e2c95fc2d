// A Stripe dispute as the billing rules need it: which payment, how much of what was charged.
import type Stripe from 'stripe';
import type { DisputeReport } from '../../billing/topup-reversals.ts';
import { idOf } from './webhook-deps.ts';

/** The dispute's facts, or null for a payment that no top-up of ours made. */
export function disputeReport(dispute: Stripe.Dispute): DisputeReport | null {
  const paymentIntentId = idOf(dispute.payment_intent);
  if (!paymentIntentId) return null;
  return {
    disputeId: dispute.id,
    paymentIntentId,
    disputedAmount: BigInt(dispute.amount),
    // The share is taken of the total stored when the top-up was credited; this is only the
    // fallback for a quote without one, and then the whole dispute is the whole payment.
    chargedAmount: BigInt(dispute.amount),
  };
}
