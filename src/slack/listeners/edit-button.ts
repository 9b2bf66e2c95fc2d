// The "Edit billing details" button of App Home and of `/billing info`: the same as
// `/billing edit`, with the modal opened from the button's trigger.
import type { App, BlockAction } from '@slack/bolt';
import { runBillingCommand } from '../../commands/billing-command.ts';
import { requestFromPayload, type SlackDeps } from '../context.ts';
import { profileModal } from '../profile-modal.ts';
import { ACTION_IDS, toSlackMessage } from '../render.ts';
import { answeringErrors } from './error-reply.ts';

export function registerEditButton(app: App, deps: SlackDeps): void {
  app.action<BlockAction>(ACTION_IDS['edit-profile'], async ({ ack, body, client, respond }) => {
    await ack();
    const userId = body.user.id;
    const channelId = body.channel?.id ?? null;
    const responseUrl = 'response_url' in body ? (body.response_url as string) : null;
    const tell = async (text: string) => {
      if (responseUrl) await respond({ response_type: 'ephemeral', replace_original: false, text });
      else await client.chat.postMessage({ channel: userId, text });
    };

    await answeringErrors(
      deps.logger,
      { action: 'edit-profile', user_id: userId },
      tell,
      async () => {
        const request = await requestFromPayload(deps, client, body, {
          userId,
          channelId,
          text: 'edit',
        });
        if (!request) return;
        const result = await runBillingCommand(deps.billing, request);

        if (result.type === 'profile-form') {
          const view = profileModal(result.current, { responseUrl, channelId });
          await client.views.open({ trigger_id: body.trigger_id, view });
          return;
        }
        const message = toSlackMessage(result.reply);
        if (responseUrl)
          await respond({ response_type: 'ephemeral', replace_original: false, ...message });
        else await client.chat.postMessage({ channel: userId, ...message });
      },
    );
  });
}
