import { ButtonStyle, ComponentType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/commands/types.ts';
import { DISCORD_LIMITS, toDiscordMessage } from '../../src/discord/render.ts';

const reply = (blocks: Reply['blocks']): Reply => ({ outcome: 'ok', text: 'summary', blocks });

describe('toDiscordMessage', () => {
  it('writes headings in bold, fields as labelled lines, and never pings anyone', () => {
    const message = toDiscordMessage(
      reply([
        { type: 'heading', text: 'Balance: $12.50' },
        { type: 'fields', fields: [{ label: 'Legal name', value: '@everyone *Ada* Ltd' }] },
      ]),
    );

    expect(message.content).toBe('**Balance: $12.50**\n**Legal name:** @everyone \\*Ada\\* Ltd');
    expect(message.allowedMentions).toEqual({ parse: [] });
  });

  it('writes a ledger table one row per line', () => {
    const message = toDiscordMessage(
      reply([
        {
          type: 'table',
          columns: ['When', 'What', 'Amount', 'Who'],
          rows: [['2026-12-03 19:55 UTC', 'Top-up: card', '+$25.00', 'Ada']],
        },
      ]),
    );

    expect(message.content).toBe('`2026-12-03 19:55 UTC` Top-up: card **+$25.00** *Ada*');
  });

  it('turns our actions into buttons with our custom ids, and a link into a link button', () => {
    const message = toDiscordMessage(
      reply([
        {
          type: 'actions',
          actions: [
            { id: 'add-credits', label: 'Add credits' },
            { id: 'link', label: 'Pay $100.00', url: 'https://checkout.stripe.com/c/pay/cs_1' },
          ],
        },
      ]),
    );

    expect(message.components).toEqual([
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            custom_id: 'billing:add-credits',
            label: 'Add credits',
            style: ButtonStyle.Secondary,
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Link,
            label: 'Pay $100.00',
            url: 'https://checkout.stripe.com/c/pay/cs_1',
          },
        ],
      },
    ]);
  });

  it('puts a link longer than a button allows into the text instead', () => {
    const url = `https://checkout.stripe.com/c/pay/${'x'.repeat(DISCORD_LIMITS.linkUrl)}`;
    const message = toDiscordMessage(
      reply([{ type: 'actions', actions: [{ id: 'link', label: 'Pay', url }] }]),
    );

    expect(message.components).toEqual([]);
    expect(message.content).toContain(url);
  });

  it('keeps within 2,000 characters, marking the cut', () => {
    const message = toDiscordMessage(reply([{ type: 'text', text: 'a'.repeat(5_000) }]));

    expect(message.content).toHaveLength(DISCORD_LIMITS.content);
    expect(message.content.endsWith('…')).toBe(true);
  });
});
