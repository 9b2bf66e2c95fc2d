// App Home: the balance, whether billing details are complete, and the admin buttons, published
// each time a user opens the Home tab.
import type { App } from '@slack/bolt';
import { findOrCreateAccount } from '../../billing/accounts.ts';
import { overviewReply } from '../../commands/overview.ts';
import { claimDelivery } from '../../db/deliveries.ts';
import { requestFromPayload, type SlackDeps } from '../context.ts';
import { SLACK_LIMITS, toSlackMessage } from '../render.ts';

export function registerAppHome(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    // Slack retries an event it thinks was not received: publish once per event.
    if (!(await claimDelivery(deps.billing.prisma, `slack:event:${body.event_id}`))) return;

    const request = await requestFromPayload(deps, client, body, {
      userId: event.user,
      channelId: null,
      text: 'balance',
    });
    if (!request) return;
    const { prisma, currency } = deps.billing;
    const account = await findOrCreateAccount(prisma, request.workspace, currency);
    const reply = await overviewReply({ deps: deps.billing, request, account });

    const { blocks } = toSlackMessage(reply);
    await client.views.publish({
      user_id: event.user,
      view: { type: 'home', blocks: blocks.slice(0, SLACK_LIMITS.modalBlocks) },
    });
  });
}
