// Turns a neutral reply into a Discord message: Markdown text and rows of buttons, within
// Discord's limits. Nobody is ever pinged: replies can carry names typed by users.
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
} from 'discord.js';
import type { Reply, ReplyAction, ReplyBlock } from '../commands/types.ts';

/** Discord's documented limits for what we send. */
export const DISCORD_LIMITS = {
  content: 2000,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rowsPerMessage: 5,
  linkUrl: 512,
  customId: 100,
  modalTitle: 45,
  inputLabel: 45,
  labelDescription: 100,
} as const;

/** The custom id of each button of ours; link buttons carry a URL instead. */
export const BUTTON_IDS = {
  'edit-profile': 'billing:edit-profile',
  'add-credits': 'billing:add-credits',
  'snooze-alerts': 'billing:snooze-alerts',
} as const satisfies Record<Exclude<ReplyAction['id'], 'link'>, string>;

/** A message body as discord.js takes it for replies, edits and channel posts. */
export interface DiscordMessage {
  content: string;
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  allowedMentions: { parse: [] };
}

/** A reply as a message. A link too long for a button goes into the text instead. */
export function toDiscordMessage(reply: Reply): DiscordMessage {
  const lines: string[] = [];
  const buttons: APIButtonComponent[] = [];
  for (const block of reply.blocks) {
    if (block.type === 'actions') {
      for (const action of block.actions) {
        const button = toButton(action);
        if (button) buttons.push(button);
        else if (action.id === 'link') lines.push(`${action.label}: ${action.url}`);
      }
    } else {
      lines.push(toText(block));
    }
  }
  return {
    content: clip(lines.join('\n'), DISCORD_LIMITS.content),
    components: buttonRows(buttons),
    allowedMentions: { parse: [] },
  };
}

/** Plain text as a message body, escaped. */
export function textMessage(text: string): DiscordMessage {
  return toDiscordMessage({ outcome: 'ok', text, blocks: [{ type: 'text', text }] });
}

/** Puts buttons in rows of five, dropping what Discord would refuse. */
export function buttonRows(
  buttons: APIButtonComponent[],
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const rows: APIActionRowComponent<APIComponentInMessageActionRow>[] = [];
  const { buttonsPerRow, rowsPerMessage } = DISCORD_LIMITS;
  for (let start = 0; start < buttons.length && rows.length < rowsPerMessage; ) {
    const components = buttons.slice(start, start + buttonsPerRow);
    rows.push({ type: ComponentType.ActionRow, components });
    start += buttonsPerRow;
  }
  return rows;
}

/** A button of ours that sends its custom id back to the bot. */
export function actionButton(
  customId: string,
  label: string,
  style: APIButtonComponentWithCustomId['style'] = ButtonStyle.Secondary,
): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    custom_id: customId,
    label: clip(label, DISCORD_LIMITS.buttonLabel),
    style,
  };
}

/** Cuts a text to a limit, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function toText(block: Exclude<ReplyBlock, { type: 'actions' }>): string {
  switch (block.type) {
    case 'heading':
      return `**${escapeMarkdown(block.text)}**`;
    case 'text':
      return escapeMarkdown(block.text);
    case 'fields':
      return block.fields
        .map((field) => `**${escapeMarkdown(field.label)}:** ${escapeMarkdown(field.value)}`)
        .join('\n');
    case 'table':
      return block.rows.map((row) => tableRow(block.columns, row)).join('\n');
  }
}

// A ledger row reads as one line: `2026-12-03 19:55 UTC` Top-up: card **+$25.00** *Ada*.
function tableRow(columns: string[], row: string[]): string {
  const cells = row.map((cell) => escapeMarkdown(cell));
  const [when, what = '', amount = '', ...rest] = cells;
  if (columns.length !== 4 || when === undefined) return cells.join(' · ');
  const who = rest.join(' ');
  return `\`${when}\` ${what} **${amount}**${who ? ` *${who}*` : ''}`;
}

function toButton(action: ReplyAction): APIButtonComponent | null {
  if (action.id !== 'link') return actionButton(BUTTON_IDS[action.id], action.label);
  if (action.url.length > DISCORD_LIMITS.linkUrl) return null;
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Link,
    label: clip(action.label, DISCORD_LIMITS.buttonLabel),
    url: action.url,
  };
}
