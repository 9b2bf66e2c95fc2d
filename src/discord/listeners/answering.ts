// How every Discord listener answers: privately (ephemeral), in the one way the interaction still
// allows (a first reply, the edit of a deferred one, or a follow-up), and how it fails: the
// user gets a short message with a reference id, the log gets the details. Nothing is swallowed.
import { MessageFlags, type RepliableInteraction } from 'discord.js';
import { reportFailure } from '../../commands/failures.ts';
import type { Logger } from '../../logger.ts';
import { type DiscordMessage, textMessage } from '../render.ts';

/** Answers the person who interacted, whatever the interaction's state. */
export async function answerPrivately(
  interaction: RepliableInteraction,
  message: DiscordMessage,
): Promise<void> {
  if (interaction.deferred) await interaction.editReply(message);
  else if (interaction.replied)
    await interaction.followUp({ ...message, flags: MessageFlags.Ephemeral });
  else await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
}

/**
 * Takes Discord's 3-second window with a "thinking…" state, so slower work (Stripe, a remote
 * database) can answer within the 15 minutes an interaction token lives.
 */
export async function deferPrivately(interaction: RepliableInteraction): Promise<void> {
  if (!interaction.deferred && !interaction.replied) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  }
}

/** Runs a listener body; on failure logs it and tells the user. */
export async function answeringErrors(
  logger: Logger,
  fields: Record<string, unknown>,
  interaction: RepliableInteraction,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    const failure = reportFailure(logger, fields, error, 'Discord interaction failed');
    const { reference } = failure;
    await answerPrivately(interaction, textMessage(failure.message)).catch((tellError: unknown) =>
      logger.error({ err: tellError, reference }, 'could not tell the user about a failure'),
    );
  }
}
