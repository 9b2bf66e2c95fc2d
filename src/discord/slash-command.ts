// The `/billing` slash command as Discord shows it (subcommands with typed options), and the
// way back: an invocation as the text of our shared grammar, e.g. `alerts threshold 50`.
import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  type ChatInputCommandInteraction,
  InteractionContextType,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';

// Amounts are text options, not numbers: Discord sends numbers as doubles, and money stays exact
// only as the digits that were typed.
const AMOUNT_OPTION = {
  type: ApplicationCommandOptionType.String,
  name: 'amount',
  description: 'In the billing currency, e.g. 100 or 250.50',
  required: true,
  max_length: 32,
} as const satisfies APIApplicationCommandBasicOption;

/** The definition registered at start-up; registering it again changes nothing. */
export const BILLING_COMMANDS: RESTPutAPIApplicationCommandsJSONBody = [
  {
    type: ApplicationCommandType.ChatInput,
    name: 'billing',
    description: 'Credits, payments and billing details of this server',
    // Servers only: in a DM there are no member permissions to tell an admin by.
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: [
      subcommand('balance', 'Show the balance, the last top-up and recent usage'),
      subcommand('add', 'Add credits through a payment link (billing admins)', [AMOUNT_OPTION]),
      subcommand('info', 'Show the billing details printed on invoices'),
      subcommand('edit', 'Change the billing details (billing admins)'),
      subcommand('history', 'Show the latest ledger entries'),
      subcommand('link', 'Share one billing account with a Slack workspace or another server', [
        {
          type: ApplicationCommandOptionType.String,
          name: 'code',
          description: 'The code that /billing link gave in the other place; leave out to get one',
          required: false,
          max_length: 32,
        },
      ]),
      {
        type: ApplicationCommandOptionType.SubcommandGroup,
        name: 'alerts',
        description: 'Low-balance alerts (changes: billing admins)',
        options: [
          subcommand('show', 'Show the alert settings'),
          subcommand('on', 'Turn alerts on, in this channel'),
          subcommand('off', 'Turn alerts off'),
          subcommand('channel', 'Send alerts to another channel', [
            {
              type: ApplicationCommandOptionType.Channel,
              name: 'channel',
              description: 'The channel that gets the alerts',
              required: true,
              channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
            },
          ]),
          subcommand('threshold', 'Warn below this balance ("default" for the default)', [
            { ...AMOUNT_OPTION, description: 'e.g. 50, or default' },
          ]),
          subcommand('runway', 'Warn when credits last fewer days than this', [
            {
              type: ApplicationCommandOptionType.Integer,
              name: 'days',
              description: 'Days of usage left, e.g. 7',
              required: true,
              min_value: 1,
              max_value: 90,
            },
          ]),
          subcommand('snooze', 'Pause alerts for 24 hours'),
        ],
      },
      subcommand('help', 'List the billing commands'),
    ],
  },
];

/** The invocation in the words of our grammar: `/billing alerts channel #ops` becomes
 * `alerts channel <#id>`. */
export function commandText(interaction: ChatInputCommandInteraction): string {
  const group = interaction.options.getSubcommandGroup(false);
  const name = interaction.options.getSubcommand(false) ?? 'balance';
  if (group === 'alerts') {
    const argument = alertsArgument(interaction, name);
    return argument ? `alerts ${argument}` : 'alerts';
  }
  if (name === 'add') return `add ${interaction.options.getString('amount') ?? ''}`;
  if (name === 'link') return `link ${interaction.options.getString('code') ?? ''}`.trim();
  return name;
}

function alertsArgument(interaction: ChatInputCommandInteraction, name: string): string {
  switch (name) {
    case 'channel':
      return `channel <#${interaction.options.getChannel('channel')?.id ?? ''}>`;
    case 'threshold':
      return `threshold ${interaction.options.getString('amount') ?? ''}`;
    case 'runway':
      return `runway ${interaction.options.getInteger('days') ?? ''}`;
    case 'show':
      return '';
    default:
      return name;
  }
}

function subcommand(
  name: string,
  description: string,
  options: APIApplicationCommandBasicOption[] = [],
): APIApplicationCommandSubcommandOption {
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name,
    description,
    ...(options.length > 0 ? { options } : {}),
  };
}
