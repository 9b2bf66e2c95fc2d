// The buttons of our messages. "Edit billing details" is `/billing edit`; "Snooze 24h" is
// `/billing alerts snooze`; "Add credits" (on an alert) asks the amount in a small modal, then
// answers like `/billing add <amount>`. Roles are read again from each click and submission.
import {
  type ButtonInteraction,
  ComponentType,
  type ModalSubmitInteraction,
  TextInputStyle,
} from 'discord.js';
import { runBillingCommand } from '../../commands/billing-command.ts';
import { requesterIsAdmin } from '../../commands/context.ts';
import { type DiscordDeps, requestOf, SERVER_ONLY_TEXT } from '../context.ts';
import { profileModal } from '../profile-modals.ts';
import { BUTTON_IDS, textMessage, toDiscordMessage } from '../render.ts';
import { answeringErrors, answerPrivately, deferPrivately } from './answering.ts';

/** The custom id of the amount modal that "Add credits" opens. */
export const ADD_CREDITS_MODAL_ID = 'billing:add-credits-amount';

/** A click on one of our buttons (custom ids in BUTTON_IDS). */
export async function onBillingButton(
  deps: DiscordDeps,
  interaction: ButtonInteraction,
): Promise<void> {
  const fields = { action: interaction.customId, user_id: interaction.user.id };
  await answeringErrors(deps.logger, fields, interaction, async () => {
    const commandText = textOfButton(interaction.customId);
    const request = commandText ? requestOf(deps, interaction, commandText) : null;
    if (!request) return answerPrivately(interaction, textMessage(SERVER_ONLY_TEXT));

    const isAdmin = requesterIsAdmin({ deps: deps.billing, request });
    if (interaction.customId === BUTTON_IDS['add-credits'] && isAdmin) {
      return interaction.showModal(amountModal());
    }
    // Edit answers with a modal, which must come first; anything else may be slow.
    if (interaction.customId !== BUTTON_IDS['edit-profile']) await deferPrivately(interaction);
    const result = await runBillingCommand(deps.billing, request);
    if (result.type === 'profile-form') {
      return interaction.showModal(profileModal(1, result.current, null));
    }
    await answerPrivately(interaction, toDiscordMessage(result.reply));
  });
}

/** The amount typed into the "Add credits" modal. */
export async function onAddCreditsModal(
  deps: DiscordDeps,
  interaction: ModalSubmitInteraction,
): Promise<void> {
  const fields = { action: 'add-credits-submit', user_id: interaction.user.id };
  await answeringErrors(deps.logger, fields, interaction, async () => {
    const amount = interaction.fields.getTextInputValue('amount');
    const request = requestOf(deps, interaction, `add ${amount}`);
    if (!request) return answerPrivately(interaction, textMessage(SERVER_ONLY_TEXT));
    // Making the payment link asks Stripe, which can take longer than Discord's 3 seconds.
    await deferPrivately(interaction);
    const result = await runBillingCommand(deps.billing, request);
    if (result.type === 'reply') await answerPrivately(interaction, toDiscordMessage(result.reply));
  });
}

// What each button stands for, in the words of the /billing grammar.
function textOfButton(customId: string): string | null {
  switch (customId) {
    case BUTTON_IDS['edit-profile']:
      return 'edit';
    case BUTTON_IDS['snooze-alerts']:
      return 'alerts snooze';
    // `add` without an amount: a non-admin gets the denial, which is all they need.
    case BUTTON_IDS['add-credits']:
      return 'add';
    default:
      return null;
  }
}

function amountModal() {
  return {
    custom_id: ADD_CREDITS_MODAL_ID,
    title: 'Add credits',
    components: [
      {
        type: ComponentType.Label as const,
        label: 'Amount',
        description: 'In the billing currency, e.g. 100 or 250.50',
        component: {
          type: ComponentType.TextInput as const,
          custom_id: 'amount',
          style: TextInputStyle.Short,
          required: true,
          max_length: 32,
        },
      },
    ],
  };
}
