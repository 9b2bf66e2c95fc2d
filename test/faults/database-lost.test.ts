import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listeningPort, type RunningBot, startBot } from '../support/bot-process.ts';
import { createScratchDatabase, dropScratchDatabase } from '../support/databases.ts';
import { type FakeSlack, slackUsers, startFakeSlack } from '../support/slack-api.ts';
import { SIGNING_SECRET } from '../support/slack-bot.ts';
import { postToSlackEndpoint, slashCommand } from '../support/slack-requests.ts';
import { type CutMode, startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const serverUrl = process.env.TEST_DATABASE_URL;
// What a user is told when a command fails on our side: nothing changed, and a reference.
const OUTAGE_ANSWER = /^Something went wrong \(reference \w{6}\)\. Nothing was changed/;

// The bot as a process on PostgreSQL, reached through a proxy that can lose the database the way
// a failing host or network does, while Slack's stand-in keeps working.
describe.skipIf(!serverUrl)('the bot as a process when PostgreSQL goes away and comes back', () => {
  let slack: FakeSlack;
  let proxy: TcpProxy;
  let databaseUrl: string;
  let bot: RunningBot;
  let baseUrl: string;
  beforeAll(async () => {
    slack = await startFakeSlack();
    slack.users.set('U0MEMBER', slackUsers.member());
    databaseUrl = await createScratchDatabase(serverUrl ?? '');
    const server = new URL(databaseUrl);
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });

    const proxied = new URL(databaseUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    bot = startBot({
      DATABASE_URL: proxied.toString(),
      SLACK_BOT_TOKEN: 'xoxb-faults-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      // The scheduler's lease queries run every second, through the outage too.
      ALERT_CRON: '* * * * * *',
    });
    baseUrl = `http://127.0.0.1:${await listeningPort(bot)}`;
  });
  afterAll(async () => {
    if (bot && bot.child.exitCode === null) {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
    await proxy?.close();
    await slack?.close();
    if (databaseUrl) await dropScratchDatabase(serverUrl ?? '', databaseUrl);
  });

  /** `/billing balance` by a member; the text Slack's response_url received. */
  async function balance(replyId: string): Promise<string> {
    const request = slashCommand({ text: 'balance', response_url: slack.responseUrl(replyId) });
    const answer = await postToSlackEndpoint(baseUrl, request, { signingSecret: SIGNING_SECRET });
    expect(answer.status).toBe(200);
    const [reply] = await slack.waitFor(`response_url:${replyId}`, 1, 30_000);
    return String(reply?.body.text);
  }

  const readiness = async () => (await fetch(`${baseUrl}/readyz`)).status;

  /** `/billing balance` and `/readyz` while the proxy is cut in `mode`, restored afterwards. */
  async function whileCut(mode: CutMode, replyId: string) {
    proxy.cut(mode);
    try {
      return { reply: await balance(replyId), readiness: await readiness() };
    } finally {
      proxy.restore();
    }
  }

  it('answers an error and reports not ready while the database host is down, then serves again', async () => {
    expect(await balance('before-down')).toBe('Balance: $0.00');
    expect(await readiness()).toBe(200);

    const down = await whileCut('reset', 'down');

    expect(down.reply).toMatch(OUTAGE_ANSWER);
    expect(down.readiness).toBe(503);
    expect(await balance('after-down')).toBe('Balance: $0.00');
    expect(await readiness()).toBe(200);
    expect(bot.child.exitCode).toBeNull();
  });

  it('does the same when the network goes silent under open connections', async () => {
    expect(await balance('before-silence')).toBe('Balance: $0.00');

    const silent = await whileCut('silence', 'silent');

    expect(silent.reply).toMatch(OUTAGE_ANSWER);
    expect(silent.readiness).toBe(503);
    expect(await balance('after-silence')).toBe('Balance: $0.00');
    expect(await readiness()).toBe(200);
    expect(bot.child.exitCode).toBeNull();
  });

  it('still stops cleanly on SIGTERM afterwards', async () => {
    bot.child.kill('SIGTERM');
    const run = await bot.exited;

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('the database was closed cleanly');
  });
});
