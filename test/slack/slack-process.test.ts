import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../support/bot-process.ts';
import { type FakeSlack, slackUsers, startFakeSlack } from '../support/slack-api.ts';
import { SIGNING_SECRET } from '../support/slack-bot.ts';
import { postToSlackEndpoint, slashCommand } from '../support/slack-requests.ts';

describe('the bot as a process, with Slack configured', () => {
  let fake: FakeSlack;
  let root: string;
  beforeAll(async () => {
    fake = await startFakeSlack();
    fake.users.set('U0MEMBER', slackUsers.member());
    root = mkdtempSync(join(tmpdir(), 'slack-process-'));
  });
  afterAll(async () => {
    await fake?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves /billing over HTTP, logs JSON without secrets, and stops cleanly on SIGTERM', async () => {
    const bot = startBot({
      DATABASE_URL: `file:${join(root, 'pglite')}`,
      SLACK_BOT_TOKEN: 'xoxb-process-secret-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
    });
    await bot.waitFor(/Slack app running/);
    const port = /"port":(\d+)/.exec(bot.output().stdout)?.[1];
    const responseUrl = fake.responseUrl('process');

    const answer = await postToSlackEndpoint(
      `http://127.0.0.1:${port}`,
      slashCommand({ text: 'balance', user_id: 'U0MEMBER', response_url: responseUrl }),
      { signingSecret: SIGNING_SECRET },
    );
    const [reply] = await fake.waitFor('response_url:process');
    bot.child.kill('SIGTERM');
    const run = await bot.exited;

    expect(answer.status).toBe(200);
    expect(reply?.body.text).toBe('Balance: $0.00');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('the database was closed cleanly');
    expect(run.stdout + run.stderr).not.toContain('xoxb-process-secret-token');
    expect(run.stdout + run.stderr).not.toContain(SIGNING_SECRET);
  });

  it('exits with a clear message when Slack cannot be reached at start', async () => {
    const run = await startBot({
      DATABASE_URL: `file:${join(root, 'unreachable')}`,
      SLACK_BOT_TOKEN: 'xoxb-unreachable',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: 'http://127.0.0.1:1/api/',
      PORT: '0',
    }).exited;

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('could not start the bot: check SLACK_BOT_TOKEN');
  });
});
