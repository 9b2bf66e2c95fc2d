// The baseline of the Slack rows: Bolt's App on the same kind of ExpressReceiver as the bot's
// (same signing check, ack before work), whose `/billing` does nothing but answer a constant
// through response_url. Whatever the bot costs beyond this is ours. Run as a process by
// slack-commands.ts; prints `{"port":…}` once it listens.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import express from 'express';

const receiver = new ExpressReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  endpoints: '/slack/events',
  app: express(),
  processBeforeResponse: false,
  logLevel: LogLevel.WARN,
});
const app = new App({
  receiver,
  token: process.env.SLACK_BOT_TOKEN ?? '',
  // The bot's own retry policy: a few quick retries instead of Bolt's half hour.
  clientOptions: {
    slackApiUrl: process.env.SLACK_API_URL ?? '',
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3_000 },
  },
  logLevel: LogLevel.WARN,
  deferInitialization: true,
});

app.command('/billing', async ({ ack, respond }) => {
  await ack();
  await respond({ response_type: 'ephemeral', text: 'Balance: $0.00' });
});

await app.init();
const server = createServer(receiver.app).listen(0, () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
