// The bot's Prometheus metrics, in one registry that /metrics serves. Counters are counted
// where things happen; labels hold names and outcomes, never ids, amounts or people.
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const commandsTotal = new Counter({
  name: 'billing_commands_total',
  help: '/billing commands answered, by subcommand and outcome (ok, denied, invalid, error).',
  labelNames: ['command', 'outcome'] as const,
  registers: [registry],
});

export const webhookEventsTotal = new Counter({
  name: 'billing_stripe_webhook_events_total',
  help: 'Stripe webhook deliveries, by event type and outcome (handled, ignored, failed, refused).',
  labelNames: ['type', 'outcome'] as const,
  registers: [registry],
});

export const ledgerEntriesTotal = new Counter({
  name: 'billing_ledger_entries_total',
  help: 'Ledger entries written, by kind and direction (credit or debit).',
  labelNames: ['kind', 'direction'] as const,
  registers: [registry],
});

export const alertsSentTotal = new Counter({
  name: 'billing_alerts_sent_total',
  help: 'Low-balance messages posted, by level (recovered for the all-clear).',
  labelNames: ['level'] as const,
  registers: [registry],
});

export const jobRunsTotal = new Counter({
  name: 'billing_job_runs_total',
  help: 'Scheduled job runs on this replica, by job and outcome (finished or failed).',
  labelNames: ['job', 'outcome'] as const,
  registers: [registry],
});

export const jobDurationSeconds = new Histogram({
  name: 'billing_job_duration_seconds',
  help: 'How long scheduled job runs took.',
  labelNames: ['job'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
  registers: [registry],
});

export const httpRequestSeconds = new Histogram({
  name: 'billing_http_request_duration_seconds',
  help: 'HTTP requests served, by method, route and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});
