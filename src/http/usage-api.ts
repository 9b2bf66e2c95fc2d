// The platform's side of billing: POST /api/v1/usage reports usage that drains balances, and
// GET /api/v1/accounts/<account> reads one. Bearer-token protected; off without a token.
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import { z } from 'zod';
import { type Account, findAccountByReference } from '../billing/accounts.ts';
import { loadAlertSettings } from '../billing/alert-settings.ts';
import { majorToMinor, minorToMajorString } from '../billing/money.ts';
import { applyUsageBatch, UsageKeyConflict, type UsageRecord } from '../billing/usage.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import { ledgerEntriesTotal } from '../metrics.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { ApiError, apiErrorHandler } from './api-errors.ts';

export const MAX_BATCH_RECORDS = 1_000;

export interface UsageApiDeps {
  prisma: PrismaClient;
  logger: Logger;
  token: string;
  /** Per client address: the API has one token, so the address tells callers apart. */
  limiter: RateLimiter;
}

// Control characters (NUL breaks PostgreSQL text; escape sequences repaint an operator's
// terminal) and bidirectional overrides (text that reads differently than it is) are refused.
// biome-ignore lint/suspicious/noControlCharactersInRegex: it finds them, to refuse them.
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
const safeText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => !UNSAFE_TEXT.test(text), 'must not contain control characters');

// Usage dated further ahead than clocks disagree is a mistake in the feed.
const FUTURE_SLACK_MS = 5 * 60 * 1000;

const recordSchema = z.strictObject({
  account: safeText(100),
  amount: z
    .string()
    .regex(
      /^\d{1,12}(\.\d{1,4})?$/,
      'must be a decimal string such as "12.50", at most 12 digits before the point',
    ),
  description: safeText(500),
  occurred_at: z.iso
    .datetime({ offset: true })
    .refine(
      (at) => new Date(at).getTime() <= Date.now() + FUTURE_SLACK_MS,
      'must not be in the future',
    ),
  idempotency_key: z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1 to 200 printable ASCII characters'),
});
type RawRecord = z.infer<typeof recordSchema>;

export function registerUsageApi(app: Express, deps: UsageApiDeps): void {
  const router = express.Router();
  // The token is checked before the body is read: strangers do not get a parser to feed.
  router.use(bearerToken(deps.token));
  router.use((request, response, next) => {
    const decision = deps.limiter.take(request.ip ?? 'unknown');
    if (decision.ok) return next();
    response.setHeader('retry-after', String(decision.retryAfterSeconds));
    next(
      new ApiError(
        'rate_limited',
        `Too many requests; wait ${decision.retryAfterSeconds} seconds, or send more records ` +
          'per batch (up to 1,000).',
      ),
    );
  });
  // Any content type: a client that forgets `content-type: application/json` gets its JSON read.
  router.use(express.json({ limit: '1mb', type: () => true }));

  router.post('/usage', async (request, response) => {
    const raw = recordsOf(request.body);
    const records = await resolveRecords(deps.prisma, raw);
    const outcome = await applyUsageBatch(deps.prisma, records).catch((error: unknown) => {
      if (!(error instanceof UsageKeyConflict)) throw error;
      const index = raw.findIndex(({ record }) => record.idempotency_key === error.key);
      throw new ApiError(
        'idempotency_conflict',
        `Record ${index}: idempotency_key "${error.key}" was applied before with another amount; ` +
          'use a new key for new usage. Nothing was applied.',
        { record: index },
      );
    });
    ledgerEntriesTotal.inc({ kind: 'usage', direction: 'debit' }, outcome.applied.length);

    const accounts = await deps.prisma.account.findMany({
      where: { id: { in: [...outcome.balances.keys()] } },
    });
    deps.logger.info(
      { applied: outcome.applied.length, already_applied: outcome.alreadyApplied.length },
      'usage recorded',
    );
    response.json({
      applied: outcome.applied,
      already_applied: outcome.alreadyApplied,
      accounts: accounts.map(accountJson),
    });
  });

  router.get('/accounts/:account', async (request, response) => {
    const account = await findAccountByReference(deps.prisma, request.params.account);
    if (!account) throw unknownAccount(request.params.account);
    const alerts = await loadAlertSettings(deps.prisma, account.id);
    // `off` when nobody turned alerts on; otherwise the level last announced (`ok` when fine).
    response.json({ ...accountJson(account), alert_state: alerts?.enabled ? alerts.level : 'off' });
  });

  router.use(apiErrorHandler(deps.logger));
  app.use('/api/v1', router);
}

function bearerToken(expected: string): RequestHandler {
  const expectedDigest = createHash('sha256').update(expected).digest();
  return (request, _response, next) => {
    const header = request.header('authorization') ?? '';
    // The scheme's name is case-insensitive in HTTP; the token is not.
    const given = /^bearer (.+)$/i.exec(header)?.[1] ?? '';
    // Digests have one length, so the comparison takes the same time whatever was sent.
    const givenDigest = createHash('sha256').update(given).digest();
    if (given && timingSafeEqual(givenDigest, expectedDigest)) return next();
    next(
      new ApiError('unauthorized', 'Send the usage API token as "Authorization: Bearer <token>".'),
    );
  };
}

function recordsOf(body: unknown): { index: number; record: RawRecord }[] {
  const list = isBatch(body) ? body.records : [body];
  if (list.length === 0) throw new ApiError('invalid_request', 'The batch has no records.');
  if (list.length > MAX_BATCH_RECORDS) {
    throw new ApiError(
      'payload_too_large',
      `A batch holds at most ${MAX_BATCH_RECORDS} records; this one has ${list.length}.`,
    );
  }

  const keys = new Set<string>();
  return list.map((item, index) => {
    const parsed = recordSchema.safeParse(item);
    if (!parsed.success) {
      const problem = parsed.error.issues[0];
      const field = problem?.path.join('.') || 'record';
      throw invalidRecord(index, `${field}: ${problem?.message ?? 'invalid'}`);
    }
    const key = `${parsed.data.account}\u0000${parsed.data.idempotency_key}`;
    if (keys.has(key)) throw invalidRecord(index, 'idempotency_key: appears twice in the batch');
    keys.add(key);
    return { index, record: parsed.data };
  });
}

function isBatch(body: unknown): body is { records: unknown[] } {
  return (
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as { records?: unknown }).records)
  );
}

async function resolveRecords(
  prisma: PrismaClient,
  raw: { index: number; record: RawRecord }[],
): Promise<UsageRecord[]> {
  const accounts = new Map<string, Account>();
  const records: UsageRecord[] = [];
  for (const { index, record } of raw) {
    let account = accounts.get(record.account);
    if (!account) {
      const found = await findAccountByReference(prisma, record.account);
      if (!found) throw unknownAccount(record.account, index);
      account = found;
      accounts.set(record.account, account);
    }
    records.push({
      accountId: account.id,
      amountMinor: usageAmount(record.amount, account, index),
      description: record.description,
      occurredAt: new Date(record.occurred_at),
      key: record.idempotency_key,
    });
  }
  return records;
}

function usageAmount(amount: string, account: Account, index: number): bigint {
  let minor: bigint;
  try {
    minor = majorToMinor(amount, account.currency);
  } catch {
    throw invalidRecord(
      index,
      `amount: "${amount}" has more decimals than ${account.currency.toUpperCase()} allows`,
    );
  }
  if (minor <= 0n) throw invalidRecord(index, 'amount: must be more than zero');
  return minor;
}

function accountJson(account: Account) {
  return {
    account: account.id,
    currency: account.currency,
    balance: minorToMajorString(account.balanceMinor, account.currency),
    balance_minor: account.balanceMinor.toString(),
    overdrawn: account.balanceMinor < 0n,
  };
}

function invalidRecord(index: number, reason: string): ApiError {
  return new ApiError('invalid_record', `Record ${index}: ${reason}. Nothing was applied.`, {
    record: index,
  });
}

function unknownAccount(reference: string, index?: number): ApiError {
  const message =
    `no account "${reference.slice(0, 100)}". Use an account id, or slack:<team id> or ` +
    'discord:<server id> of a workspace that has used /billing.';
  if (index === undefined) return new ApiError('unknown_account', message);
  return new ApiError('unknown_account', `Record ${index}: ${message} Nothing was applied.`, {
    record: index,
  });
}
