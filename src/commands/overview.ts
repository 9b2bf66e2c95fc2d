// The overview a workspace sees on its home screen (Slack's App Home): the balance, whether the
// billing details are complete, the low-balance alerts, and the admin actions.
import { loadAlertSettings } from '../billing/alert-settings.ts';
import { profileCompleteness } from '../billing/profile.ts';
import { loadProfile } from '../billing/profile-store.ts';
import { balanceCommand } from './balance.ts';
import { type CommandContext, requesterIsAdmin } from './context.ts';
import type { Reply, ReplyBlock } from './types.ts';

export async function overviewReply(context: CommandContext): Promise<Reply> {
  const { deps, request, account } = context;
  const balance = await balanceCommand(context);
  const profile = await loadProfile(deps.prisma, account.id);
  const { complete } = profileCompleteness(profile);
  const isAdmin = requesterIsAdmin(context);

  const details = complete
    ? 'Billing details: complete.'
    : 'Billing details: incomplete. Invoices need a legal name, an address and a tax ID.';
  const alerts = await loadAlertSettings(deps.prisma, account.id);
  const alertsLine = alerts?.enabled
    ? `Low-balance alerts: on${alerts.level === 'ok' ? '' : `, now ${alerts.level}`}.`
    : 'Low-balance alerts: off. An admin turns them on with /billing alerts on in a channel.';
  const blocks: ReplyBlock[] = [
    ...balance.blocks,
    { type: 'text', text: details },
    { type: 'text', text: alertsLine },
  ];
  if (isAdmin) {
    blocks.push({
      type: 'actions',
      actions: [{ id: 'edit-profile', label: 'Edit billing details' }],
    });
  } else {
    blocks.push({ type: 'text', text: request.adminsDescription });
  }
  blocks.push({ type: 'text', text: 'Type /billing help in any channel for the commands.' });
  return { outcome: 'ok', text: balance.text, blocks };
}
