// Run as its own process by the Socket Mode tests: starts our Slack adapter in Socket Mode against
// the stand-ins named in its environment, stops it, and then just returns. Node exits only once
// nothing (a timer, a socket, a retry) is left to keep it alive, which is what the test checks.
import { startSlackBot } from './slack-bot.ts';

const bot = await startSlackBot(
  { apiUrl: process.env.SLACK_API_URL ?? '' },
  { SLACK_APP_TOKEN: process.env.SLACK_APP_TOKEN ?? '' },
);
console.log('connected in Socket Mode');

await bot.close();
console.log('stopped');
