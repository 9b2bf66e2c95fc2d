// Builds the discord.js client: connects to the gateway, registers `/billing`, and routes each
// interaction to its listener. Interactions need no privileged intent: Guilds alone brings the
// servers, their channels and roles (for checking an alert channel) and every interaction.
import {
  type Client,
  Client as DiscordClient,
  Events,
  GatewayIntentBits,
  Routes,
  Status,
} from 'discord.js';
import type { BillingDeps, Notifier } from '../commands/types.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { DiscordDeps } from './context.ts';
import { createDiscordNotifier } from './discord-notifier.ts';
import { onBillingCommand } from './listeners/billing-command.ts';
import { ADD_CREDITS_MODAL_ID, onAddCreditsModal, onBillingButton } from './listeners/buttons.ts';
import { onPartButton, onProfileModal, readPartButtonId } from './listeners/profile-form.ts';
import { readProfileModalId } from './profile-modals.ts';
import { BILLING_COMMANDS } from './slash-command.ts';

// A first connection slower than this means a wrong token or no way to reach Discord.
const READY_MS = 30_000;

export interface DiscordAdapter {
  readonly client: Client;
  /** Posts notices and alerts in channels and DMs. */
  readonly notifier: Notifier;
  /** Connects to the gateway, waits until ready, and registers `/billing`. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Whether the gateway connection is up right now. */
  isConnected(): boolean;
}

type DiscordConfig = NonNullable<Config['discord']>;

export function createDiscordAdapter(
  discord: DiscordConfig,
  billing: BillingDeps,
  logger: Logger,
): DiscordAdapter {
  const client = new DiscordClient({
    intents: [GatewayIntentBits.Guilds],
    ...(discord.apiUrl ? { rest: { api: discord.apiUrl } } : {}),
  });
  const deps: DiscordDeps = { billing, logger };
  routeInteractions(client, deps);
  routeLogs(client, logger);

  return {
    client,
    notifier: createDiscordNotifier(client),
    // client.isReady() stays true through a dropped connection; each shard tells the truth.
    isConnected: () =>
      client.ws.shards.size > 0 && client.ws.shards.every((shard) => shard.status === Status.Ready),
    async start() {
      const ready = new Promise<void>((resolve) =>
        client.once(Events.ClientReady, () => resolve()),
      );
      let timer: NodeJS.Timeout | undefined;
      // login() itself can hang on a REST endpoint that never answers: the deadline covers both.
      const deadline = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('Discord did not report ready')), READY_MS);
      });
      try {
        await Promise.race([client.login(discord.token).then(() => ready), deadline]);
      } finally {
        clearTimeout(timer);
      }
      await registerCommands(client, discord, logger);
    },
    async stop() {
      // Without destroy() the gateway's reconnect loop would keep the process alive.
      await client.destroy();
    },
  };
}

// Bulk overwrite: registering the same definition again changes nothing at Discord.
async function registerCommands(client: Client, discord: DiscordConfig, logger: Logger) {
  const route = discord.guildId
    ? Routes.applicationGuildCommands(discord.applicationId, discord.guildId)
    : Routes.applicationCommands(discord.applicationId);
  await client.rest.put(route, { body: BILLING_COMMANDS });
  logger.info(
    { guild_id: discord.guildId ?? undefined },
    discord.guildId ? '/billing registered in one server' : '/billing registered globally',
  );
}

function routeInteractions(client: Client, deps: DiscordDeps): void {
  client.on(Events.InteractionCreate, (interaction) => {
    const handled = (async () => {
      if (interaction.isChatInputCommand() && interaction.commandName === 'billing') {
        return onBillingCommand(deps, interaction);
      }
      if (interaction.isButton()) {
        const part = readPartButtonId(interaction.customId);
        if (part) return onPartButton(deps, interaction, part);
        return onBillingButton(deps, interaction);
      }
      if (interaction.isModalSubmit()) {
        if (interaction.customId === ADD_CREDITS_MODAL_ID) {
          return onAddCreditsModal(deps, interaction);
        }
        const modal = readProfileModalId(interaction.customId);
        if (modal) return onProfileModal(deps, interaction, modal);
      }
    })();
    // Listeners answer their own failures; this only catches a failure to answer at all.
    handled.catch((error: unknown) =>
      deps.logger.error({ err: error }, 'Discord interaction not answered'),
    );
  });
}

// discord.js speaks through events; its debug lines can quote part of the token, so they are
// dropped when they mention it.
function routeLogs(client: Client, logger: Logger): void {
  client.on(Events.Error, (error) => logger.error({ err: error }, 'Discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ source: 'discord.js' }, message));
  client.on(Events.Debug, (message) => {
    if (!/token/i.test(message)) logger.debug({ source: 'discord.js' }, message);
  });
  client.rest.on('rateLimited', (info) =>
    logger.warn({ route: info.route, retry_after_ms: info.retryAfter }, 'Discord rate limit'),
  );
}
