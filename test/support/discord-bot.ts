// The bot composed for real in the test process, exactly as main.ts composes it, with Discord
// configured: discord.js connects to a FakeDiscord on 127.0.0.1 (REST and gateway), and, when
// the environment names a Stripe stand-in, payments and the webhook run too.
import type { APIInteraction } from 'discord.js';
import { type ComposedBot, composeBot } from '../../src/compose.ts';
import { loadConfig } from '../../src/config.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { createLogger } from '../../src/logger.ts';
import type { FakeDiscord, RecordedDiscordCall } from './discord-api.ts';
import { DISCORD_APPLICATION_ID } from './discord-payloads.ts';

export const DISCORD_TOKEN = 'discord-test-bot-token';

/** How the bot answered one interaction: its callback, and the edit of a deferred reply. */
export interface DiscordAnswer {
  /** The callback's `type`: 4 a reply, 5 deferred, 9 a modal. */
  type: number;
  /** What the person finally sees: the reply's, the edit's or the modal's data. */
  data: Record<string, unknown>;
  callback: RecordedDiscordCall;
}

export interface RunningDiscordBot {
  bot: ComposedBot;
  /** The bot's HTTP server (health, readiness, metrics, the Stripe webhook). */
  baseUrl: string;
  database: Database;
  /** Dispatches an interaction and waits for the bot's final answer to it. */
  interact(interaction: APIInteraction): Promise<DiscordAnswer>;
  close(): Promise<void>;
}

/** Starts the bot with Discord (and whatever `env` adds) on an in-memory database. */
export async function startDiscordBot(
  fake: FakeDiscord,
  env: Record<string, string> = {},
  database?: Database,
): Promise<RunningDiscordBot> {
  const config = loadConfig({
    DISCORD_TOKEN,
    DISCORD_APPLICATION_ID,
    DISCORD_API_URL: fake.apiUrl,
    DATABASE_URL: 'memory:',
    PORT: '0',
    ...env,
  });
  const db = database ?? (await openDatabase(config.database));
  const bot = composeBot(config, db, createLogger('silent'), { onInterrupt: () => {} });
  const port = await bot.start();

  return {
    bot,
    baseUrl: `http://127.0.0.1:${port}`,
    database: db,
    interact: (interaction) => discordAnswer(fake, interaction),
    async close() {
      // The client first: a client left connected keeps reconnecting to a closed port.
      await bot.stop();
      if (!database) await db.close();
    },
  };
}

/** Dispatches an interaction to whichever bot is connected, and waits for its final answer. */
export async function discordAnswer(
  fake: FakeDiscord,
  interaction: APIInteraction,
): Promise<DiscordAnswer> {
  await fake.dispatchInteraction(interaction);
  const callback = await fake.waitForCall(
    (call) => call.method === 'POST' && call.path.startsWith(`/interactions/${interaction.id}/`),
    15_000,
  );
  const body = callback.body as { type: number; data?: Record<string, unknown> };
  if (body.type !== 5 && body.type !== 6)
    return { type: body.type, data: body.data ?? {}, callback };

  const edit = await fake.waitForCall(
    (call) =>
      call.method === 'PATCH' &&
      call.path === `/webhooks/${DISCORD_APPLICATION_ID}/${interaction.token}/messages/@original`,
    15_000,
  );
  return { type: body.type, data: edit.body as Record<string, unknown>, callback };
}
