// The billing-details modal submitted. Admin status is asked again (roles change; payloads can
// be replayed); problems go back inline on their fields and nothing is saved.
import type { App, RespondArguments } from '@slack/bolt';
import { submitProfile } from '../../commands/edit.ts';
import { claimDelivery } from '../../db/deliveries.ts';
import { type SlackDeps, slackRequest } from '../context.ts';
import {
  PROFILE_MODAL_CALLBACK_ID,
  readProfileOrigin,
  readProfileSubmission,
} from '../profile-modal.ts';
import { toSlackMessage } from '../render.ts';
import { postToResponseUrl } from '../respond.ts';
import { idsOfBody, slackWorkspace } from '../workspace.ts';
import { answeringErrors } from './error-reply.ts';

export function registerProfileSubmission(app: App, deps: SlackDeps): void {
  app.view(PROFILE_MODAL_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const userId = body.user.id;
    const workspace = slackWorkspace(idsOfBody(body));
    const origin = readProfileOrigin(view.private_metadata);
    const fields = { view_id: view.id, user_id: userId, team_id: workspace?.externalId };
    const reply = (message: RespondArguments) =>
      postToResponseUrl(origin.responseUrl ?? '', message, deps.slackApiUrl);
    const tell = async (text: string) => {
      if (origin.responseUrl) await reply({ response_type: 'ephemeral', text });
      else await client.chat.postMessage({ channel: userId, text });
    };

    await answeringErrors(deps.logger, fields, tell, async () => {
      if (!workspace) return void (await ack());
      const request = await slackRequest(deps, client, {
        workspace,
        userId,
        channelId: origin.channelId,
        text: 'edit',
      });
      const result = await submitProfile(
        deps.billing,
        request,
        readProfileSubmission(view.state.values),
      );

      if (result.type === 'profile-invalid') {
        return void (await ack({ response_action: 'errors', errors: result.errors }));
      }
      if (result.reply.outcome === 'denied') {
        const text = `${result.reply.text} Nothing was saved.`;
        return void (await ack({ response_action: 'errors', errors: { legalName: text } }));
      }

      await ack();
      // A replayed submission of the same view saves nothing new and confirms nothing twice.
      if (!(await claimDelivery(deps.billing.prisma, `slack:view:${view.id}:${view.hash}`))) return;
      const message = toSlackMessage(result.reply);
      if (origin.responseUrl) await reply({ response_type: 'ephemeral', ...message });
      else await client.chat.postMessage({ channel: userId, ...message });
    });
  });
}
