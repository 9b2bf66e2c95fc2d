// `/billing alerts`: everyone sees the low-balance alert settings; billing admins change them.
//   alerts | alerts on | alerts off | alerts channel #name | alerts threshold 50 |
//   alerts threshold default | alerts runway 7 | alerts snooze
import type { Place } from '../billing/actors.ts';
import { effectiveThreshold } from '../billing/alert-policy.ts';
import {
  type AlertSettings,
  type AlertSettingsChange,
  changeAlertSettings,
  loadAlertSettings,
} from '../billing/alert-settings.ts';
import { formatMoney, majorToMinor, parseMajorToMinor } from '../billing/money.ts';
import { lastTopUpEntry } from '../billing/summary.ts';
import { adminOnlyReply, type CommandContext, requesterIsAdmin } from './context.ts';
import { formatDays, formatWhen } from './format.ts';
import type { Reply } from './types.ts';

const SNOOZE_MS = 24 * 60 * 60 * 1000;
const MAX_RUNWAY_DAYS = 90;

const USAGE =
  'Use /billing alerts on, off, channel #name, threshold <amount>, threshold default, ' +
  'runway <days> or snooze.';

export async function alertsCommand(context: CommandContext, argument: string): Promise<Reply> {
  const { deps, request, account } = context;
  const [word = '', ...rest] = argument.trim().split(/\s+/).filter(Boolean);
  if (word === '') return showAlerts(context, await loadAlertSettings(deps.prisma, account.id));
  if (!requesterIsAdmin(context)) return adminOnlyReply(request, 'change low-balance alerts');

  const change = await changeFor(context, word.toLowerCase(), rest.join(' '));
  if (typeof change === 'string') return invalid(change);

  const place: Place = { workspace: request.workspace, channelId: request.channelId };
  const saved = await changeAlertSettings(deps.prisma, account.id, change, request.actor, place);
  return showAlerts(context, saved, 'Saved.');
}

// The change an admin asked for, or what is wrong with the request.
async function changeFor(
  context: CommandContext,
  word: string,
  value: string,
): Promise<AlertSettingsChange | string> {
  const { deps, request, account } = context;
  switch (word) {
    case 'on':
    case 'channel': {
      const channelId = word === 'on' ? request.channelId : channelIdOf(value);
      if (word === 'channel' && !channelId) {
        return (
          'Name the channel by picking it from the suggestions as you type #, e.g. ' +
          '/billing alerts channel #billing.'
        );
      }
      const problem = await channelProblem(context, channelId);
      return problem ?? { enabled: true, channelId };
    }
    case 'off':
      return { enabled: false };
    case 'threshold': {
      if (value.toLowerCase() === 'default') return { thresholdMinor: null };
      const amount = parseMajorToMinor(value, account.currency);
      return amount.ok ? { thresholdMinor: amount.minor } : amount.reason;
    }
    case 'runway': {
      const days = Number(value);
      if (Number.isInteger(days) && days >= 1 && days <= MAX_RUNWAY_DAYS)
        return { runwayDays: days };
      return (
        `Give the runway in whole days from 1 to ${MAX_RUNWAY_DAYS}, ` +
        'e.g. /billing alerts runway 7.'
      );
    }
    case 'snooze':
      return { snoozedUntil: new Date(deps.now().getTime() + SNOOZE_MS) };
    default:
      return `Unknown alerts setting "${word.slice(0, 40)}". ${USAGE}`;
  }
}

// Slack sends a picked channel as <#C0123|name>; Discord as <#123456789012345678>. A bare id
// is accepted too.
function channelIdOf(text: string): string | null {
  const mention = /^<#([A-Z0-9]+|\d{17,20})(?:\|[^>]*)?>$/.exec(text.trim());
  if (mention?.[1]) return mention[1];
  return /^(?:[CG][A-Z0-9]{8,}|\d{17,20})$/.test(text.trim()) ? text.trim() : null;
}

async function channelProblem(context: CommandContext, channelId: string | null) {
  const { deps, request } = context;
  if (!deps.notifier || request.workspace.platform === 'console') return null;
  if (!channelId) return 'Run this in the channel that should get the alerts.';
  const target = {
    platform: request.workspace.platform,
    workspaceId: request.workspace.externalId,
    channelId,
  };
  const problem = await deps.notifier.channelProblem(target);
  return problem ? `Alerts were not changed. ${problem}` : null;
}

async function showAlerts(
  { deps, account }: CommandContext,
  settings: AlertSettings | null,
  preface?: string,
): Promise<Reply> {
  const money = (minor: bigint) => formatMoney(minor, account.currency);
  const lastTopUp = await lastTopUpEntry(deps.prisma, account.id);
  const defaultMinor = majorToMinor(deps.alertDefaultThresholdMajor, account.currency);
  const explicit = settings?.thresholdMinor ?? null;
  const threshold = effectiveThreshold(explicit, lastTopUp?.amountMinor ?? null, defaultMinor);
  const thresholdSource =
    explicit !== null
      ? 'set by an admin'
      : lastTopUp
        ? 'default: 20% of the last top-up'
        : 'default';

  const where = settings?.channelId ? `channel ${settings.channelId}` : 'this console';
  const fields = [
    { label: 'Alerts', value: settings?.enabled ? `on, in ${where}` : 'off' },
    { label: 'Threshold', value: `${money(threshold)} (${thresholdSource})` },
    { label: 'Runway warning', value: formatDays(settings?.runwayDays ?? 7) },
    { label: 'State', value: settings && settings.level !== 'ok' ? settings.level : 'fine' },
  ];
  if (settings?.snoozedUntil && settings.snoozedUntil > deps.now()) {
    fields.push({ label: 'Snoozed until', value: formatWhen(settings.snoozedUntil) });
  }
  if (settings?.channelProblem) {
    fields.push({ label: 'Problem', value: `cannot post there (${settings.channelProblem})` });
  }
  const blocks: Reply['blocks'] = [];
  if (preface) blocks.push({ type: 'text', text: preface });
  blocks.push({ type: 'heading', text: 'Low-balance alerts' }, { type: 'fields', fields });
  if (!settings?.enabled)
    blocks.push({ type: 'text', text: `Turn them on here with /billing alerts on. ${USAGE}` });
  return { outcome: 'ok', text: preface ?? 'Low-balance alerts', blocks };
}

function invalid(text: string): Reply {
  return { outcome: 'invalid', text, blocks: [{ type: 'text', text }] };
}
