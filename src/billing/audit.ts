// The audit log: who did what, where, with the values before and after.
import type { Prisma } from '../generated/prisma/client.ts';
import type { Actor, Place } from './actors.ts';
import { jsonReplacer } from './money.ts';

/** What was done, in words an auditor reads (`profile.updated`, `ledger.topup`). */
export type AuditAction = `${'profile' | 'ledger' | 'account' | 'topup'}.${string}`;

/** One audited change. `before`/`after` hold plain values; bigints become decimal strings. */
export interface AuditRecord {
  accountId: string;
  action: AuditAction;
  actor: Actor;
  place: Place | null;
  before?: unknown;
  after?: unknown;
}

/** Records an audit event inside the caller's transaction, so it commits with the change. */
export async function recordAudit(tx: Prisma.TransactionClient, record: AuditRecord) {
  await tx.auditEvent.create({
    data: {
      accountId: record.accountId,
      action: record.action,
      actorPlatform: record.actor.platform,
      actorId: record.actor.userId,
      actorName: record.actor.userName,
      workspaceId: record.place?.workspace.externalId ?? null,
      channelId: record.place?.channelId ?? null,
      before: toJsonValue(record.before),
      after: toJsonValue(record.after),
    },
  });
}

function toJsonValue(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value, jsonReplacer)) as Prisma.InputJsonValue;
}
