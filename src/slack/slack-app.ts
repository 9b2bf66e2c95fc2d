// Builds the Bolt app: HTTP mode (requests at /slack/events on our one HTTP server) or Socket
// Mode, one workspace by token or many through OAuth, and registers the listeners.
import { App, ExpressReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Express } from 'express';
import type { BillingDeps, Notifier } from '../commands/types.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { boltLogger, boltLogLevel } from './bolt-logger.ts';
import { prismaInstallationStore } from './installation-store.ts';
import { registerAlertButtons } from './listeners/alert-buttons.ts';
import { registerAppHome } from './listeners/app-home.ts';
import { registerBillingCommand } from './listeners/billing-command.ts';
import { registerEditButton } from './listeners/edit-button.ts';
import { registerLinkButton } from './listeners/link-button.ts';
import { registerProfileSubmission } from './listeners/profile-submission.ts';
import { registerUninstall } from './listeners/uninstall.ts';
import { SLACK_RETRY_CONFIG } from './respond.ts';
import { createRoleReader } from './roles.ts';
import { createSlackNotifier } from './slack-notifier.ts';

/**
 * The bot scopes the code uses; manifest.yml and the OAuth install ask for exactly these.
 * `chat:write.public` lets a payment confirmation reach a public channel the bot was never
 * invited to; `channels:read` and `groups:read` let `/billing alerts channel` check a channel.
 */
export const SLACK_BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'users:read',
  'channels:read',
  'groups:read',
];

export interface SlackAdapter {
  readonly app: App;
  /** Posts notices (a payment credited) in channels and DMs. */
  readonly notifier: Notifier;
  /** Connects (Socket Mode) or checks the token (HTTP mode); the HTTP server serves requests. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

type SlackConfig = NonNullable<Config['slack']>;

export function createSlackAdapter(
  slack: SlackConfig,
  billing: BillingDeps,
  logger: Logger,
  httpApp: Express,
): SlackAdapter {
  const clientOptions = {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    retryConfig: SLACK_RETRY_CONFIG,
  };
  const log = { logger: boltLogger(logger), logLevel: boltLogLevel(logger) };
  const receiver = slack.appToken
    ? new SocketModeReceiver({
        appToken: slack.appToken,
        ...log,
        installerOptions: { clientOptions },
      })
    : httpReceiver(slack, billing, log, httpApp, clientOptions);

  const app = new App({
    receiver,
    ...(slack.botToken ? { token: slack.botToken } : {}),
    clientOptions,
    ...log,
    deferInitialization: true,
  });
  const deps = { billing, roles: createRoleReader(logger), logger, slackApiUrl: slack.apiUrl };
  registerBillingCommand(app, deps);
  registerProfileSubmission(app, deps);
  registerEditButton(app, deps);
  registerLinkButton(app);
  registerAlertButtons(app, deps);
  registerAppHome(app, deps);
  registerUninstall(app, deps);
  app.error(async (error) => {
    logger.error({ err: error }, 'unhandled Slack error');
  });

  const notifier = createSlackNotifier({
    app,
    prisma: billing.prisma,
    botToken: slack.botToken,
    clientOptions,
  });
  return {
    app,
    notifier,
    async start() {
      await app.init();
      if (receiver instanceof SocketModeReceiver) await receiver.start();
    },
    async stop() {
      // Bolt's receiver.stop() resolves before the close handshake ends, while envelopes can
      // still arrive as main.ts closes the database; disconnect() waits for the socket. (The
      // receiver's other work, an OAuth HTTP server, never runs: OAuth needs HTTP mode.)
      if (receiver instanceof SocketModeReceiver) await receiver.client.disconnect();
    },
  };
}

function httpReceiver(
  slack: SlackConfig,
  billing: BillingDeps,
  log: Pick<ConstructorParameters<typeof ExpressReceiver>[0], 'logger' | 'logLevel'>,
  httpApp: Express,
  clientOptions: object,
): ExpressReceiver {
  const oauth = slack.oauth
    ? {
        clientId: slack.oauth.clientId,
        clientSecret: slack.oauth.clientSecret,
        stateSecret: slack.oauth.stateSecret,
        scopes: SLACK_BOT_SCOPES,
        installationStore: prismaInstallationStore(billing.prisma),
        installerOptions: { directInstall: true, clientOptions },
      }
    : {};
  return new ExpressReceiver({
    signingSecret: slack.signingSecret ?? '',
    endpoints: '/slack/events',
    app: httpApp,
    // Ack first, work after: Slack's 3-second limit counts until our HTTP answer.
    processBeforeResponse: false,
    // Slack's payloads are a few kB (a submitted modal the most); Bolt's default allows 4 MB.
    bodyLimit: '1mb',
    ...log,
    ...oauth,
  });
}
