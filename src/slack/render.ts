// Turns a neutral reply into Block Kit, within Slack's limits.
import type { ActionsBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { Reply, ReplyAction, ReplyBlock } from '../commands/types.ts';

/** Slack's documented limits for the blocks we send. */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  buttonText: 75,
  messageBlocks: 50,
  modalBlocks: 100,
  modalTitle: 24,
  privateMetadata: 3000,
} as const;

/** The action id of each button of ours. */
export const ACTION_IDS: Record<ReplyAction['id'], string> = {
  'edit-profile': 'billing_edit_profile',
  'add-credits': 'billing_alert_add_credits',
  'snooze-alerts': 'billing_alert_snooze',
  // Slack still sends an interaction when a link button is clicked; it only needs an ack.
  link: 'billing_open_link',
};

/** A reply as a message: Block Kit plus the plain text notifications and screen readers use. */
export function toSlackMessage(reply: Reply): { text: string; blocks: KnownBlock[] } {
  const blocks = reply.blocks.flatMap(toBlocks).slice(0, SLACK_LIMITS.messageBlocks);
  // The fallback text is mrkdwn as well (notifications show it), and may carry a legal name.
  return { text: clip(escapeMrkdwn(reply.text), SLACK_LIMITS.sectionText), blocks };
}

/** Escapes what Slack would read as markup: user text must not ping `<!here>` or link. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts a text to a limit, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function toBlocks(block: ReplyBlock): KnownBlock[] {
  switch (block.type) {
    case 'heading':
      return [{ type: 'header', text: { type: 'plain_text', text: clip(block.text, 150) } }];
    case 'text':
      return [section(escapeMrkdwn(block.text))];
    case 'fields':
      return [fieldsSection(block.fields)];
    case 'table':
      return block.rows.map((row) => section(tableRow(block.columns, row)));
    case 'actions':
      return [actions(block.actions)];
  }
}

function section(mrkdwn: string): SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: clip(mrkdwn, SLACK_LIMITS.sectionText) },
  };
}

function fieldsSection(fields: { label: string; value: string }[]): SectionBlock {
  return {
    type: 'section',
    fields: fields.slice(0, SLACK_LIMITS.sectionFields).map((field) => ({
      type: 'mrkdwn',
      text: clip(`*${escapeMrkdwn(field.label)}*\n${escapeMrkdwn(field.value)}`, 2000),
    })),
  };
}

// A ledger row reads as one line: `2026-12-03 19:55 UTC · Top-up: card · +$25.00 · Ada`.
function tableRow(columns: string[], row: string[]): string {
  const [when, what, amount, ...rest] = row.map(escapeMrkdwn);
  if (columns.length !== 4 || when === undefined) return row.map(escapeMrkdwn).join(' · ');
  return `\`${when}\`  ${what}  *${amount}*  _${rest.join(' ')}_`;
}

function actions(items: ReplyAction[]): ActionsBlock {
  return {
    type: 'actions',
    elements: items.map((item) => ({
      type: 'button',
      action_id: ACTION_IDS[item.id],
      text: { type: 'plain_text', text: clip(item.label, SLACK_LIMITS.buttonText) },
      ...(item.id === 'link' ? { url: item.url, style: 'primary' as const } : {}),
    })),
  };
}
