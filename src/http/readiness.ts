// GET /readyz: whether this replica can do its work now, for load balancers and orchestrators.
// /healthz only says the process is alive; this asks the database.
import type { Express } from 'express';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';

// A database slower than this counts as unreachable: a load balancer should try another replica.
const CHECK_TIMEOUT_MS = 2_000;

export function registerReadiness(app: Express, prisma: PrismaClient, logger: Logger): void {
  app.get('/readyz', async (_request, response) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('database check timed out')), CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([prisma.$queryRaw`SELECT 1`, timeout]);
      response.json({ status: 'ready', database: 'ok' });
    } catch (error) {
      logger.warn({ err: error }, 'not ready: the database does not answer');
      response.status(503).json({ status: 'not_ready', database: 'unreachable' });
    } finally {
      clearTimeout(timer);
    }
  });
}
