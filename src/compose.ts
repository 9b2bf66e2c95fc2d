// Composes the bot from a configuration and an open database: the adapters, payments, the
// Stripe webhook and the jobs on one HTTP server. main.ts runs it as a process; tests run the
// very same composition against loopback stand-ins of Slack, Discord and Stripe. Wiring only.
import { createNoticeRouter } from './commands/notice-router.ts';
import type { BillingDeps, NoticeTarget, Notifier } from './commands/types.ts';
import type { Config } from './config.ts';
import { startConsoleAdapter } from './console/console-adapter.ts';
import type { Database } from './db/database.ts';
import { createDiscordAdapter, type DiscordAdapter } from './discord/discord-app.ts';
import { registerCheckoutPages } from './http/checkout-pages.ts';
import { registerReadiness } from './http/readiness.ts';
import { createHttpServer, type HttpServer } from './http/server.ts';
import { registerUsageApi } from './http/usage-api.ts';
import { alertScanJob } from './jobs/alert-scan.ts';
import { reconciliationJob } from './jobs/reconcile-checkouts.ts';
import { type Job, type Scheduler, startScheduler } from './jobs/scheduler.ts';
import type { Logger } from './logger.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createSlackAdapter, type SlackAdapter } from './slack/slack-app.ts';
import type { WebhookDeps } from './stripe/events/webhook-deps.ts';
import { createStripeClient } from './stripe/stripe-client.ts';
import { createStripePayments } from './stripe/stripe-payments.ts';
import { registerStripeWebhook } from './stripe/webhook-route.ts';

// A double click or a retry is fine; a script asking for links in a loop is stopped.
const TOP_UP_LINKS_PER_MINUTE = 5;
// Generous for a metering pipeline posting batches; a stuck loop is slowed to this.
const USAGE_REQUESTS_PER_MINUTE = 600;

export interface ComposedBot {
  readonly http: HttpServer;
  readonly adapter: RunningAdapter;
  readonly billing: BillingDeps;
  /** What the Stripe webhook and the reconciliation use; null without Stripe. */
  readonly stripe: WebhookDeps | null;
  /** Connects the adapter and listens, when there is anything to serve; resolves with the port. */
  start(): Promise<number | null>;
  /** Stops the jobs, the HTTP server and the adapter; the database stays open. */
  stop(): Promise<void>;
}

export function composeBot(
  config: Config,
  database: Database,
  logger: Logger,
  options: { onInterrupt: () => void },
): ComposedBot {
  const stripe = config.stripe ? createStripeClient(config.stripe) : null;
  const billing: BillingDeps = {
    prisma: database.prisma,
    currency: config.currency,
    topUp: config.topUp,
    extraAdminIds: config.billingAdminIds,
    now: () => new Date(),
    payments: stripe
      ? createStripePayments({
          stripe,
          prisma: database.prisma,
          logger,
          publicUrl: config.publicUrl,
        })
      : null,
    // Set below, once the adapters whose notifiers it routes to exist.
    notifier: null,
    alertDefaultThresholdMajor: config.alertDefaultThresholdMajor,
    topUpLimiter: createRateLimiter(TOP_UP_LINKS_PER_MINUTE, 60_000),
    linkCodeLimiter: createRateLimiter(5, 10 * 60_000), // 5 wrong codes in 10 min: typos pass
  };

  const http = createHttpServer();
  registerCheckoutPages(http.app);
  const adapter =
    config.slack || config.discord
      ? startChat(config, billing, http, logger)
      : startConsole(config, billing, logger, options.onInterrupt);
  const discord = adapter.discord;
  registerReadiness(
    http.app,
    database.prisma,
    logger,
    discord ? { discord: () => discord.isConnected() } : {},
  );

  if (config.usageApiToken) {
    registerUsageApi(http.app, {
      prisma: database.prisma,
      logger,
      token: config.usageApiToken,
      limiter: createRateLimiter(USAGE_REQUESTS_PER_MINUTE, 60_000),
    });
  }

  const notifier = createNoticeRouter(adapter.notifiers, logger);
  billing.notifier = notifier;
  const jobs: Job[] = [
    alertScanJob(
      {
        prisma: database.prisma,
        notifier,
        logger,
        defaultThresholdMajor: config.alertDefaultThresholdMajor,
      },
      config.alertCron,
    ),
  ];
  let scheduler: Scheduler | null = null;
  let webhookDeps: WebhookDeps | null = null;
  if (config.stripe && stripe) {
    webhookDeps = { stripe, prisma: database.prisma, logger, notifier };
    registerStripeWebhook(http.app, { ...webhookDeps, webhookSecret: config.stripe.webhookSecret });
    jobs.push(reconciliationJob(webhookDeps));
  }

  return {
    http,
    adapter,
    billing,
    stripe: webhookDeps,
    async start() {
      await adapter.start();
      scheduler = startScheduler(jobs, database.prisma, logger);
      // The console needs no HTTP server unless Stripe or the usage feed must reach it.
      const chat = config.slack || config.discord;
      if (!chat && !config.stripe && !config.usageApiToken) return null;
      return http.listen(config.port);
    },
    async stop() {
      await scheduler?.stop();
      await http.close();
      await adapter.stop();
    },
  };
}

/** What main needs of a running adapter: when it ends by itself, and how to stop it. */
export interface RunningAdapter {
  done: Promise<void>;
  /** Connects to the chat service; the console has nothing to connect. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Who delivers notices of each platform this process serves. */
  notifiers: Partial<Record<NoticeTarget['platform'], Notifier>>;
  /** The Slack adapter, when this process serves Slack. */
  slack: SlackAdapter | null;
  /** The Discord adapter, when this process serves Discord. */
  discord: DiscordAdapter | null;
  describe(config: Config): string;
}

function startConsole(
  config: Config,
  deps: BillingDeps,
  logger: Logger,
  onInterrupt: () => void,
): RunningAdapter {
  const adapter = startConsoleAdapter(deps, config, logger, onInterrupt);
  return {
    done: adapter.done,
    start: async () => {},
    async stop() {
      adapter.stop();
      await adapter.done;
    },
    notifiers: { console: adapter.notifier },
    slack: null,
    discord: null,
    describe: () => 'HTTP server listening beside the console (Stripe webhook, usage API)',
  };
}

// Slack, Discord or both in one process, sharing the billing deps and the HTTP server.
function startChat(
  config: Config,
  deps: BillingDeps,
  http: HttpServer,
  logger: Logger,
): RunningAdapter {
  const slack = config.slack ? createSlackAdapter(config.slack, deps, logger, http.app) : null;
  const discord = config.discord ? createDiscordAdapter(config.discord, deps, logger) : null;
  const running = [slack, discord].filter((adapter) => adapter !== null);
  return {
    // A server runs until a signal stops it.
    done: new Promise<void>(() => {}),
    async start() {
      for (const adapter of running) await adapter.start();
    },
    async stop() {
      await Promise.all(running.map((adapter) => adapter.stop()));
    },
    notifiers: {
      ...(slack ? { slack: slack.notifier } : {}),
      ...(discord ? { discord: discord.notifier } : {}),
    },
    slack,
    discord,
    describe: () => describeChat(config),
  };
}

function describeChat(config: Config): string {
  const parts: string[] = [];
  if (config.slack) {
    parts.push(
      config.slack.appToken
        ? 'Slack app running (Socket Mode)'
        : `Slack app running (HTTP mode at ${config.publicUrl}/slack/events)`,
    );
  }
  if (config.discord) parts.push('Discord bot connected');
  return parts.join('; ');
}
