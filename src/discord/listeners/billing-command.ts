// `/billing` in Discord. Everything but `edit` is deferred at once, privately: Stripe or the
// database may take longer than Discord's 3 seconds. `edit` answers with a modal, which must be
// the first response to the interaction, so it is not deferred.
import type { ChatInputCommandInteraction } from 'discord.js';
import { runBillingCommand } from '../../commands/billing-command.ts';
import { parseBillingText } from '../../commands/grammar.ts';
import { type DiscordDeps, requestOf, SERVER_ONLY_TEXT } from '../context.ts';
import { profileModal } from '../profile-modals.ts';
import { textMessage, toDiscordMessage } from '../render.ts';
import { commandText } from '../slash-command.ts';
import { answeringErrors, answerPrivately, deferPrivately } from './answering.ts';

export async function onBillingCommand(
  deps: DiscordDeps,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  const started = performance.now();
  const text = commandText(interaction);
  const parsed = parseBillingText(text);
  const subcommand = parsed.kind === 'known' ? parsed.name : 'unknown';
  const fields = {
    command: 'billing',
    guild_id: interaction.guildId,
    user_id: interaction.user.id,
  };

  await answeringErrors(deps.logger, fields, interaction, async () => {
    const request = requestOf(deps, interaction, text);
    if (!request) return answerPrivately(interaction, textMessage(SERVER_ONLY_TEXT));

    if (subcommand !== 'edit') await deferPrivately(interaction);
    const result = await runBillingCommand(deps.billing, request);
    if (result.type === 'profile-form') {
      await interaction.showModal(profileModal(1, result.current, null));
    } else {
      await answerPrivately(interaction, toDiscordMessage(result.reply));
    }

    const outcome = result.type === 'reply' ? result.reply.outcome : 'form';
    const duration_ms = Math.round(performance.now() - started);
    deps.logger.info({ ...fields, subcommand, outcome, duration_ms }, 'command answered');
  });
}
