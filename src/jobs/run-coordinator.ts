// node-cron's run coordinator, backed by the database: of all the replicas that reach the same
// time slot of a job, the first to claim it runs it, and none runs while a previous run still
// holds the lease. The database decides, never a process's memory.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { PrismaClient } from '../generated/prisma/client.ts';

/** What node-cron asks of a coordinator (its `RunCoordinator`). */
export interface DatabaseRunCoordinator {
  shouldRun(key: string, ttlMs: number): Promise<boolean>;
  onComplete(key: string): Promise<void>;
}

/** This process, as lease rows name it. */
export const THIS_HOLDER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export function databaseRunCoordinator(
  prisma: PrismaClient,
  holder = THIS_HOLDER,
): DatabaseRunCoordinator {
  return {
    async shouldRun(key, ttlMs) {
      const { name, slot } = parseKey(key);
      // One atomic statement: a new job inserts its row; otherwise the row moves to this slot
      // only if its last slot is older and its lease has run out. The row lock makes concurrent
      // claims of one slot queue, and only the first sees the WHERE hold.
      const claimed = await prisma.$queryRaw<{ name: string }[]>`
        INSERT INTO job_leases (name, last_slot, lease_until, holder)
        VALUES (${name}, ${slot}, now() + make_interval(secs => ${ttlMs / 1000}), ${holder})
        ON CONFLICT (name) DO UPDATE
          SET last_slot = EXCLUDED.last_slot,
              lease_until = EXCLUDED.lease_until,
              holder = EXCLUDED.holder
          WHERE job_leases.last_slot < EXCLUDED.last_slot
            AND job_leases.lease_until < now()
        RETURNING name`;
      return claimed.length === 1;
    },
    async onComplete(key) {
      const { name } = parseKey(key);
      await prisma.jobLease.updateMany({
        where: { name, holder },
        data: { leaseUntil: new Date() },
      });
    },
  };
}

// node-cron's keys are `<task name>:<slot as ISO 8601>`; task names hold no colon.
function parseKey(key: string): { name: string; slot: Date } {
  const separator = key.indexOf(':');
  const slot = new Date(key.slice(separator + 1));
  if (separator <= 0 || Number.isNaN(slot.getTime())) {
    throw new Error(`Unexpected run coordinator key "${key}"`);
  }
  return { name: key.slice(0, separator), slot };
}
