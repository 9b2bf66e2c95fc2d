// Resident memory of the bot process (Slack in HTTP mode, the embedded database), read while the
// Slack rows ran: idle after start-up, and again after the load. Baselines: `node` doing
// nothing, and the bare Bolt app started the same way as the bot.
import type { SlackFigures } from './slack-commands.ts';
import type { Row } from './table.ts';

export function memoryRows({ bot, bareBolt }: SlackFigures, bareNodeMiB: number): Row[] {
  return [
    {
      what: 'Idle memory (RSS) of the bot, embedded database: MiB',
      ours: bot.idleRssMiB,
      baseline: bareNodeMiB,
      baselineIs: '`node` doing nothing',
    },
    {
      what: '… idle: MiB',
      ours: bot.idleRssMiB,
      baseline: bareBolt.idleRssMiB,
      baselineIs: 'bare Bolt app, node --import tsx',
    },
    {
      what: '… after the Slack load: MiB',
      ours: bot.loadedRssMiB,
      baseline: bareBolt.loadedRssMiB,
      baselineIs: 'bare Bolt app after its load',
    },
  ];
}
