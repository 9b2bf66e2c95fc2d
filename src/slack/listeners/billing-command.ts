// `/billing` in Slack: ack at once (Slack's 3-second limit), then answer through `respond`,
// which reaches DMs and private channels the bot is not in.
import type { App } from '@slack/bolt';
import { runBillingCommand } from '../../commands/billing-command.ts';
import { type SlackDeps, slackRequest } from '../context.ts';
import { profileModal } from '../profile-modal.ts';
import { toSlackMessage } from '../render.ts';
import { retryingRespond } from '../respond.ts';
import { idsOfBody, slackWorkspace } from '../workspace.ts';
import { answeringErrors } from './error-reply.ts';

export function registerBillingCommand(app: App, deps: SlackDeps): void {
  app.command('/billing', async ({ command, ack, respond: respondOnce, client }) => {
    await ack();
    const respond = retryingRespond(respondOnce);
    const started = performance.now();
    const fields = { command: 'billing', team_id: command.team_id, user_id: command.user_id };
    const tell = (text: string) => respond({ response_type: 'ephemeral', text });

    await answeringErrors(deps.logger, fields, tell, async () => {
      const workspace = slackWorkspace(idsOfBody(command));
      if (!workspace) return void (await tell('/billing works inside a Slack workspace.'));

      const request = await slackRequest(deps, client, {
        workspace,
        userId: command.user_id,
        userName: command.user_name,
        channelId: command.channel_id,
        text: command.text,
      });
      const result = await runBillingCommand(deps.billing, request);
      if (result.type === 'reply') {
        await respond({ response_type: 'ephemeral', ...toSlackMessage(result.reply) });
      } else {
        const origin = { responseUrl: command.response_url, channelId: command.channel_id };
        await client.views.open({
          trigger_id: command.trigger_id,
          view: profileModal(result.current, origin),
        });
      }
      const duration_ms = Math.round(performance.now() - started);
      const outcome = result.type === 'reply' ? result.reply.outcome : 'form';
      const subcommand = command.text.trim().split(/\s+/)[0]?.toLowerCase() || 'balance';
      deps.logger.info(
        { ...fields, subcommand: subcommand.slice(0, 20), outcome, duration_ms },
        'command answered',
      );
    });
  });
}
