// A link button (the "Pay" button of a top-up) opens its page in the browser; Slack still sends
// the click to the app, and an unanswered click shows the user a warning.
import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../render.ts';

export function registerLinkButton(app: App): void {
  app.action(ACTION_IDS.link, async ({ ack }) => {
    await ack();
  });
}
