import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { type FakeSlack, slackUsers, startFakeSlack } from '../support/slack-api.ts';
import { type RunningSlackBot, startSlackBot } from '../support/slack-bot.ts';
import { slashCommand } from '../support/slack-requests.ts';

// The value of one series in Prometheus' text format, or undefined when it is absent.
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('health, readiness and metrics', () => {
  let fake: FakeSlack;
  let bot: RunningSlackBot;
  beforeAll(async () => {
    fake = await startFakeSlack();
    fake.users.set('U0MEMBER', slackUsers.member());
    bot = await startSlackBot(fake, { ALERT_CRON: '0 0 1 1 *' });
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.close();
  });

  const get = (path: string, base = bot.baseUrl) => fetch(`${base}${path}`);

  it('says the process is alive and ready while the database answers', async () => {
    const health = await get('/healthz');
    const ready = await get('/readyz');

    expect(health.status).toBe(200);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok' });
  });

  it('is not ready when its database is gone, while still alive', async () => {
    const database = await openDatabase({ kind: 'pglite-memory' });
    const orphan = await startSlackBot(fake, { ALERT_CRON: '0 0 1 1 *' }, database);
    try {
      await database.close();
      const ready = await get('/readyz', orphan.baseUrl);
      const health = await get('/healthz', orphan.baseUrl);

      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'not_ready', database: 'unreachable' });
      expect(health.status).toBe(200);
    } finally {
      await orphan.close();
    }
  });

  it('counts commands and requests in the Prometheus format, naming no token', async () => {
    const responseUrl = fake.responseUrl('metrics');
    await bot.send(
      slashCommand({ text: 'balance', user_id: 'U0MEMBER', response_url: responseUrl }),
    );
    await fake.waitFor('response_url:metrics');

    const response = await get('/metrics');
    const metrics = await response.text();

    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(sample(metrics, 'billing_commands_total{command="balance",outcome="ok"}')).toBe(1);
    const slackRequests =
      'billing_http_request_duration_seconds_count{method="POST",route="/slack/events",status="200"}';
    expect(sample(metrics, slackRequests)).toBe(1);
    expect(metrics).toContain('process_resident_memory_bytes');
    expect(metrics).not.toContain('xoxb-');
  });
});
