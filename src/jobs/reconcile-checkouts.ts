// Catches payments whose webhook never arrived (the bot was down, the endpoint misconfigured):
// lists recently completed Checkout Sessions at Stripe and credits the paid ones. Crediting is
// keyed by the session, so a payment already credited by its webhook is left as it is.
import type Stripe from 'stripe';
import { creditFromSession } from '../stripe/events/credit-from-session.ts';
import type { WebhookDeps } from '../stripe/events/webhook-deps.ts';
import type { Job } from './scheduler.ts';

// Stripe retries a webhook for three days; anything older was looked at by earlier runs.
const LOOK_BACK_MS = 3 * 24 * 60 * 60 * 1000;

/** Every quarter of an hour, a little after the hour so replicas' clocks need not agree. */
export const RECONCILE_SCHEDULE = '7,22,37,52 * * * *';

export interface ReconcileReport {
  examined: number;
  credited: number;
}

/** Credits every paid session of the look-back window that is not credited yet. */
export async function reconcileCheckouts(deps: WebhookDeps, now: Date): Promise<ReconcileReport> {
  const report: ReconcileReport = { examined: 0, credited: 0 };
  const since = Math.floor((now.getTime() - LOOK_BACK_MS) / 1000);
  const sessions = deps.stripe.checkout.sessions.list({
    created: { gte: since },
    status: 'complete',
    limit: 100,
  });

  for await (const session of sessions as AsyncIterable<Stripe.Checkout.Session>) {
    // Sessions of other integrations on the same Stripe account are not ours to credit; ours
    // carry the quote id both as the reference and in the (ids-only) metadata.
    const quoteId = session.client_reference_id;
    if (session.payment_status !== 'paid' || !quoteId) continue;
    if (session.metadata?.quote_id !== quoteId) continue;
    report.examined++;
    const outcome = await creditFromSession(session, deps);
    if (outcome.status === 'credited') report.credited++;
  }
  return report;
}

/** The reconciliation as a scheduled job. */
export function reconciliationJob(deps: WebhookDeps): Job {
  return {
    name: 'reconcile-checkouts',
    schedule: RECONCILE_SCHEDULE,
    run: async (slot) => ({ ...(await reconcileCheckouts(deps, slot)) }),
  };
}
