import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { databaseRunCoordinator } from '../../src/jobs/run-coordinator.ts';
import { databaseTargets } from '../support/databases.ts';

const MINUTE_MS = 60_000;

describe.each(databaseTargets())('the database run coordinator on $name', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  // Two replicas of the bot, each with its own coordinator on the shared database.
  const replicas = () => [
    databaseRunCoordinator(database.prisma, 'replica-a'),
    databaseRunCoordinator(database.prisma, 'replica-b'),
  ];
  const key = (job: string, slot: string) => `${job}:${slot}`;

  it('lets exactly one of two replicas run a time slot, even when both ask at once', async () => {
    const [a, b] = replicas();
    const slot = key('scan-once', '2026-12-04T07:00:00.000Z');

    const answers = await Promise.all([
      a?.shouldRun(slot, MINUTE_MS),
      b?.shouldRun(slot, MINUTE_MS),
    ]);

    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  it('runs the next slot only once the previous run completed or its lease ran out', async () => {
    const [a, b] = replicas();
    const first = key('scan-lease', '2026-12-04T07:00:00.000Z');
    const second = key('scan-lease', '2026-12-04T07:01:00.000Z');
    const third = key('scan-lease', '2026-12-04T07:02:00.000Z');

    expect(await a?.shouldRun(first, MINUTE_MS)).toBe(true);
    // Still running on replica a: replica b skips the next slot rather than overlap.
    expect(await b?.shouldRun(second, MINUTE_MS)).toBe(false);
    await a?.onComplete(first);
    expect(await b?.shouldRun(third, MINUTE_MS)).toBe(true);
  });

  it('takes over from a run whose lease ran out, and never runs an older slot again', async () => {
    const [a, b] = replicas();
    // A lease of 1 ms: replica a died mid-run, as far as anyone can tell.
    expect(await a?.shouldRun(key('scan-dead', '2026-12-04T07:00:00.000Z'), 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(await b?.shouldRun(key('scan-dead', '2026-12-04T07:01:00.000Z'), MINUTE_MS)).toBe(true);
    await b?.onComplete(key('scan-dead', '2026-12-04T07:01:00.000Z'));
    expect(await a?.shouldRun(key('scan-dead', '2026-12-04T07:00:00.000Z'), MINUTE_MS)).toBe(false);
  });

  it('keeps jobs apart: one job holding its lease does not stop another', async () => {
    const [a] = replicas();
    const slot = '2026-12-04T07:00:00.000Z';

    expect(await a?.shouldRun(key('job-one', slot), MINUTE_MS)).toBe(true);
    expect(await a?.shouldRun(key('job-two', slot), MINUTE_MS)).toBe(true);
  });
});
