import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, findOrCreateAccount } from '../../src/billing/accounts.ts';
import type { Database } from '../../src/db/database.ts';
import { databaseTargets } from '../support/databases.ts';
import { type FakeSlack, startFakeSlack } from '../support/slack-api.ts';
import { type RunningSlackBot, startSlackBot } from '../support/slack-bot.ts';

const TOKEN = 'usage-token-0123456789abcdef0123456789';

// One usage record in the documented shape, for the test workspace unless told otherwise.
function usage(key: string, amount: string, account = 'slack:T0USAGE') {
  return {
    account,
    amount,
    description: 'Compute: 3 vCPU hours',
    occurred_at: '2026-12-04T05:00:00Z',
    idempotency_key: key,
  };
}

describe.each(databaseTargets())('the usage API on $name', (target) => {
  let fake: FakeSlack;
  let database: Database;
  let bot: RunningSlackBot;
  let account: Account;

  beforeAll(async () => {
    fake = await startFakeSlack();
    database = await target.open();
    bot = await startSlackBot(fake, { USAGE_API_TOKEN: TOKEN }, database);
    const workspace = { platform: 'slack' as const, externalId: 'T0USAGE' };
    account = await findOrCreateAccount(bot.database.prisma, workspace, 'usd');
  });
  afterAll(async () => {
    await bot?.close();
    await database?.close();
    await fake?.close();
  });

  async function call(path: string, init: { body?: unknown; raw?: string; token?: string } = {}) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (init.token !== '') headers.authorization = `Bearer ${init.token ?? TOKEN}`;
    const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    const response = await fetch(`${bot.baseUrl}/api/v1${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      body,
    });
    const text = await response.text();
    return { status: response.status, json: JSON.parse(text), text };
  }
  const balance = async () =>
    (await bot.database.prisma.account.findUniqueOrThrow({ where: { id: account.id } }))
      .balanceMinor;
  const usageEntries = () =>
    bot.database.prisma.ledgerEntry.count({ where: { accountId: account.id, kind: 'usage' } });

  it('refuses a missing or wrong token with 401 and applies nothing', async () => {
    const missing = await call('/usage', { body: usage('tok-1', '1.00'), token: '' });
    const wrong = await call('/usage', { body: usage('tok-2', '1.00'), token: `${TOKEN}x` });

    expect(missing.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('unauthorized');
    expect(await usageEntries()).toBe(0);
  });

  it('applies a record once, lets the balance go below zero, and says so', async () => {
    const first = await call('/usage', { body: usage('once-1', '1.50') });
    const again = await call('/usage', { body: usage('once-1', '1.50') });

    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      applied: ['once-1'],
      already_applied: [],
      accounts: [
        {
          account: account.id,
          currency: 'usd',
          balance: '-1.50',
          balance_minor: '-150',
          overdrawn: true,
        },
      ],
    });
    expect(again.json.applied).toEqual([]);
    expect(again.json.already_applied).toEqual(['once-1']);
    expect(await balance()).toBe(-150n);
  });

  it('refuses a key reused for another amount with 409, applying nothing of the batch', async () => {
    await call('/usage', { body: usage('reused-1', '1.00') });
    const before = await balance();

    const answer = await call('/usage', {
      body: { records: [usage('reused-2', '4.00'), usage('reused-1', '2.00')] },
    });

    expect(answer.status).toBe(409);
    expect(answer.json.error).toEqual({
      code: 'idempotency_conflict',
      message:
        'Record 1: idempotency_key "reused-1" was applied before with another amount; use a ' +
        'new key for new usage. Nothing was applied.',
      record: 1,
    });
    expect(await balance()).toBe(before);
  });

  it('refuses control characters, usage dated in the future, and a malformed URL with 400', async () => {
    const terminalEscape = { ...usage('ctl-1', '1.00'), description: '\u001b[2Jrefund credited' };
    const nul = { ...usage('ctl-2', '1.00'), description: 'a\u0000b' };
    const future = { ...usage('future-1', '1.00'), occurred_at: '2099-01-01T00:00:00Z' };

    const answers = await Promise.all(
      [terminalEscape, nul, future].map((body) => call('/usage', { body })),
    );
    const malformed = await fetch(`${bot.baseUrl}/api/v1/accounts/%E0%A4%A`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });

    expect(answers.map((answer) => [answer.status, answer.json.error.message])).toEqual([
      [400, 'Record 0: description: must not contain control characters. Nothing was applied.'],
      [400, 'Record 0: description: must not contain control characters. Nothing was applied.'],
      [400, 'Record 0: occurred_at: must not be in the future. Nothing was applied.'],
    ]);
    expect(malformed.status).toBe(400);
  });

  it('reads JSON sent without a content type, and the bearer scheme in any case', async () => {
    const response = await fetch(`${bot.baseUrl}/api/v1/usage`, {
      method: 'POST',
      headers: { authorization: `bearer ${TOKEN}` },
      body: JSON.stringify(usage('plain-1', '0.10')),
    });

    expect(response.status).toBe(200);
    expect(((await response.json()) as { applied: string[] }).applied).toEqual(['plain-1']);
  });

  it('applies a batch with one bad record not at all, naming the record and why', async () => {
    const before = await balance();
    const records = [usage('batch-1', '2.00'), usage('batch-2', '3.00'), usage('batch-3', '1.005')];

    const answer = await call('/usage', { body: { records } });

    expect(answer.status).toBe(400);
    expect(answer.json.error).toEqual({
      code: 'invalid_record',
      message: 'Record 2: amount: "1.005" has more decimals than USD allows. Nothing was applied.',
      record: 2,
    });
    expect(await balance()).toBe(before);
  });

  it('answers an unknown account with 404 and applies nothing of the batch', async () => {
    const before = await balance();
    const records = [usage('unknown-1', '2.00'), usage('unknown-2', '2.00', 'slack:T0NOBODY')];

    const answer = await call('/usage', { body: { records } });

    expect(answer.status).toBe(404);
    expect(answer.json.error.code).toBe('unknown_account');
    expect(answer.json.error.record).toBe(1);
    expect(await balance()).toBe(before);
  });

  it('applies a batch posted twice at the same instant exactly once', async () => {
    const before = await balance();
    const records = Array.from({ length: 20 }, (_, index) => usage(`twice-${index}`, '0.25'));

    const answers = await Promise.all([
      call('/usage', { body: { records } }),
      call('/usage', { body: { records } }),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const applied = answers.flatMap((answer) => answer.json.applied);
    expect(applied).toHaveLength(20);
    expect(await balance()).toBe(before - 500n);
  });

  it('refuses more than 1,000 records, and a body over 1 MB, with 413', async () => {
    const records = Array.from({ length: 1_001 }, (_, index) => usage(`big-${index}`, '0.01'));
    const tooMany = await call('/usage', { body: { records } });
    const tooLarge = await call('/usage', {
      body: { ...usage('huge', '0.01'), description: 'x'.repeat(1_100_000) },
    });

    expect(tooMany.status).toBe(413);
    expect(tooMany.json.error.message).toBe(
      'A batch holds at most 1000 records; this one has 1001.',
    );
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json.error.code).toBe('payload_too_large');
  });

  it('answers a body that is not JSON with 400 and no stack trace', async () => {
    const answer = await call('/usage', { raw: '{"account": "slack:T0USAGE",' });

    expect(answer.status).toBe(400);
    expect(answer.json.error).toEqual({
      code: 'invalid_request',
      message: 'The body is not valid JSON.',
    });
    expect(answer.text).not.toMatch(/\bat \S+\.(ts|js)/);
  });

  it('reads an account by its workspace or its id, and 404s an unknown one', async () => {
    const byWorkspace = await call('/accounts/slack:T0USAGE');
    const byId = await call(`/accounts/${account.id}`);
    const unknown = await call('/accounts/slack:T0NOBODY');

    expect(byWorkspace.status).toBe(200);
    expect(byWorkspace.json).toEqual(byId.json);
    expect(byId.json.account).toBe(account.id);
    expect(byId.json.balance_minor).toBe((await balance()).toString());
    expect(byId.json.alert_state).toBe('off');
    expect(unknown.status).toBe(404);
  });
});

describe('the usage API under a flood', () => {
  let fake: FakeSlack;
  let bot: RunningSlackBot;
  beforeAll(async () => {
    fake = await startFakeSlack();
    bot = await startSlackBot(fake, { USAGE_API_TOKEN: TOKEN, ALERT_CRON: '0 0 1 1 *' });
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.close();
  });

  it('answers 429 with Retry-After past 600 requests a minute from one address', async () => {
    const lookUp = () =>
      fetch(`${bot.baseUrl}/api/v1/accounts/slack:T0NOBODY`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
    const statuses: number[] = [];
    for (let sent = 0; sent < 600; sent += 50) {
      const answers = await Promise.all(Array.from({ length: 50 }, lookUp));
      statuses.push(...answers.map((answer) => answer.status));
    }

    const flooded = await lookUp();

    expect(new Set(statuses)).toEqual(new Set([404]));
    expect(flooded.status).toBe(429);
    expect(Number(flooded.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await flooded.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });
});
