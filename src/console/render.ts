// Turns a neutral reply into terminal text.
import type { Reply, ReplyAction, ReplyBlock } from '../commands/types.ts';

// Buttons cannot be clicked in a terminal: each names the command that does the same, and a
// link is printed whole for the terminal to make clickable.
const ACTION_COMMANDS: Record<Exclude<ReplyAction['id'], 'link'>, string> = {
  'edit-profile': '/billing edit',
  'add-credits': '/billing add <amount>',
  'snooze-alerts': '/billing alerts snooze',
};

export function renderReply(reply: Reply): string {
  return reply.blocks.map(renderBlock).join('\n');
}

function renderBlock(block: ReplyBlock): string {
  switch (block.type) {
    case 'heading':
      return `== ${block.text} ==`;
    case 'text':
      return block.text;
    case 'fields':
      return renderFields(block.fields);
    case 'table':
      return renderTable(block.columns, block.rows);
    case 'actions':
      return block.actions.map(renderAction).join('\n');
  }
}

function renderAction(action: ReplyAction): string {
  if (action.id === 'link') return `${action.label}: ${action.url}`;
  return `(${action.label}: type ${ACTION_COMMANDS[action.id]})`;
}

function renderFields(fields: { label: string; value: string }[]): string {
  const width = Math.max(...fields.map((field) => field.label.length)) + 1;
  return fields.map((field) => `  ${`${field.label}:`.padEnd(width)} ${field.value}`).join('\n');
}

function renderTable(columns: string[], rows: string[][]): string {
  const widths = columns.map((column, index) =>
    Math.max(column.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns), ...rows.map(line)].map((text) => `  ${text}`).join('\n');
}
