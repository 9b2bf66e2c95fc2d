// The buttons of a low-balance alert. "Snooze 24h" is `/billing alerts snooze`; "Add credits"
// asks the amount in a small modal, then answers like `/billing add <amount>`. Roles are asked
// again at each click and each submission.
import type { App, BlockAction, ViewSubmitAction } from '@slack/bolt';
import type { KnownBlock, ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { isBillingAdmin } from '../../billing/permissions.ts';
import { runBillingCommand } from '../../commands/billing-command.ts';
import type { CommandRequest } from '../../commands/types.ts';
import { requestFromPayload, type SlackDeps } from '../context.ts';
import { ACTION_IDS, escapeMrkdwn, toSlackMessage } from '../render.ts';
import { answeringErrors } from './error-reply.ts';

const ADD_CREDITS_CALLBACK_ID = 'billing_add_credits';
const AMOUNT_BLOCK_ID = 'amount';

type Tell = (message: { text: string; blocks?: KnownBlock[] }) => Promise<unknown>;

export function registerAlertButtons(app: App, deps: SlackDeps): void {
  onAlertButton(app, deps, 'snooze-alerts', 'alerts snooze', async (request, { tell }) => {
    const result = await runBillingCommand(deps.billing, request);
    if (result.type === 'reply') await tell(toSlackMessage(result.reply));
  });

  onAlertButton(app, deps, 'add-credits', 'add', async (request, { body, client, tell }) => {
    if (!isBillingAdmin(request.actor, request.roles, deps.billing.extraAdminIds)) {
      // `/billing add` with no amount answers a non-admin with the denial.
      const result = await runBillingCommand(deps.billing, request);
      if (result.type === 'reply')
        await tell({ text: `${result.reply.text} ${request.adminsDescription}` });
      return;
    }
    await client.views.open({
      trigger_id: body.trigger_id,
      view: amountModal(body.channel?.id ?? null),
    });
  });

  app.view<ViewSubmitAction>(ADD_CREDITS_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const amount = view.state.values[AMOUNT_BLOCK_ID]?.value?.value ?? '';
    // Slack wants the submission answered within 3 seconds; Stripe may take longer, so the modal
    // says it is working and is updated with the link when it is ready.
    await ack({ response_action: 'update', view: resultModal('Making the payment link…') });
    const tell = async (text: string) => {
      await client.views.update({ view_id: view.id, view: resultModal(text) });
    };
    await answeringErrors(
      deps.logger,
      { action: 'add-credits-submit', user_id: body.user.id },
      tell,
      async () => {
        const request = await requestFromPayload(deps, client, body, {
          userId: body.user.id,
          channelId: view.private_metadata || null,
          text: `add ${amount}`,
        });
        if (!request) return;
        const result = await runBillingCommand(deps.billing, request);
        if (result.type !== 'reply') return;
        const message = toSlackMessage(result.reply);
        await client.views.update({
          view_id: view.id,
          view: { ...resultModal(result.reply.text), blocks: message.blocks },
        });
      },
    );
  });
}

function amountModal(channelId: string | null): ModalView {
  return {
    type: 'modal',
    callback_id: ADD_CREDITS_CALLBACK_ID,
    title: { type: 'plain_text', text: 'Add credits' },
    submit: { type: 'plain_text', text: 'Get payment link' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: channelId ?? '',
    blocks: [
      {
        type: 'input',
        block_id: AMOUNT_BLOCK_ID,
        label: { type: 'plain_text', text: 'Amount' },
        hint: { type: 'plain_text', text: 'In the billing currency, e.g. 100 or 250.50.' },
        element: { type: 'plain_text_input', action_id: 'value', max_length: 32 },
      },
    ],
  };
}

function resultModal(text: string): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Add credits' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(text) } }],
  };
}

// A click on an alert button, as the command it stands for: acked at once, roles asked now,
// answered ephemerally beside the alert.
function onAlertButton(
  app: App,
  deps: SlackDeps,
  action: 'snooze-alerts' | 'add-credits',
  commandText: string,
  handle: (
    request: CommandRequest,
    click: { body: BlockAction; client: WebClient; tell: Tell },
  ) => Promise<void>,
): void {
  app.action<BlockAction>(ACTION_IDS[action], async ({ ack, body, client, respond }) => {
    await ack();
    const tell: Tell = (message) =>
      respond({ response_type: 'ephemeral', replace_original: false, ...message });
    const fields = { action, user_id: body.user.id };
    await answeringErrors(
      deps.logger,
      fields,
      (text) => tell({ text }),
      async () => {
        const request = await requestFromPayload(deps, client, body, {
          userId: body.user.id,
          channelId: body.channel?.id ?? null,
          text: commandText,
        });
        if (!request) return;
        await handle(request, { body, client, tell });
      },
    );
  });
}
