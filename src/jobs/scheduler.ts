// The bot's scheduled jobs on node-cron: never two runs of a job at once in a process, and one
// run per time slot across every replica, through the database's run coordinator.
import cron, { type ScheduledTask } from 'node-cron';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import { jobDurationSeconds, jobRunsTotal } from '../metrics.ts';
import { databaseRunCoordinator } from './run-coordinator.ts';

/** A job: what it is called, when it runs, and the run, which reports what it counted. */
export interface Job {
  /** No colons: node-cron's coordinator keys are `<name>:<slot>`. */
  name: string;
  /** node-cron syntax; six fields put seconds first. */
  schedule: string;
  run(slot: Date): Promise<Record<string, number>>;
}

// A run that takes longer than this is taken to have died, and the next slot may run.
const LEASE_MS = 10 * 60 * 1000;

export interface Scheduler {
  stop(): Promise<void>;
}

export function startScheduler(jobs: Job[], prisma: PrismaClient, logger: Logger): Scheduler {
  const runCoordinator = databaseRunCoordinator(prisma);
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(job.schedule, (context) => runLogged(job, context.date, logger), {
      name: job.name,
      noOverlap: true,
      distributed: true,
      runCoordinator,
      distributedLease: LEASE_MS,
    }),
  );
  return {
    async stop() {
      await Promise.all(tasks.map((task) => task.destroy()));
    },
  };
}

/** Runs a job once, logging its start, what it counted, and how long it took. */
export async function runLogged(job: Job, slot: Date, logger: Logger): Promise<void> {
  const started = performance.now();
  logger.info({ job: job.name, slot }, 'job started');
  try {
    const counts = await job.run(slot);
    const duration_ms = Math.round(performance.now() - started);
    jobRunsTotal.inc({ job: job.name, outcome: 'finished' });
    jobDurationSeconds.observe({ job: job.name }, duration_ms / 1000);
    logger.info({ job: job.name, ...counts, duration_ms }, 'job finished');
  } catch (error) {
    jobRunsTotal.inc({ job: job.name, outcome: 'failed' });
    // The next slot runs the job again; nothing is retried in a loop here.
    logger.error({ err: error, job: job.name }, 'job failed; the next run tries again');
  }
}
