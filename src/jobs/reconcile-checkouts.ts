// Catches payments whose webhook never arrived (the bot was down, the endpoint misconfigured):
// lists recently completed Checkout Sessions at Stripe and credits the paid ones. Crediting is
// keyed by the session, so a payment already credited by its webhook is left as it is.
import cron from 'node-cron';
import type Stripe from 'stripe';
import type { Logger } from '../logger.ts';
import { creditFromSession } from '../stripe/events/credit-from-session.ts';
import type { WebhookDeps } from '../stripe/events/webhook-deps.ts';

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

/** Runs the reconciliation on its schedule, never two runs at once in this process. */
export function scheduleReconciliation(deps: WebhookDeps, logger: Logger) {
  const task = cron.schedule(
    RECONCILE_SCHEDULE,
    async () => {
      try {
        const report = await reconcileCheckouts(deps, new Date());
        if (report.credited > 0) {
          logger.warn(report, 'reconciliation credited payments whose webhook never arrived');
        } else logger.debug(report, 'reconciliation found nothing missing');
      } catch (error) {
        logger.error({ err: error }, 'reconciliation with Stripe failed; the next run retries');
      }
    },
    { noOverlap: true, name: 'reconcile-checkouts' },
  );
  return { stop: () => task.stop() };
}
