// GET /readyz: whether this replica can do its work now, for load balancers and orchestrators.
// /healthz only says the process is alive; this asks the database, and whether the chat
// connections that keep a socket open (Discord's gateway) are up.
import type { Express } from 'express';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';

// A database slower than this counts as unreachable: a load balancer should try another replica.
const CHECK_TIMEOUT_MS = 2_000;

/** A connection the bot needs, by name (`discord`), and whether it is up right now. */
export type ConnectionCheck = Readonly<Record<string, () => boolean>>;

export function registerReadiness(
  app: Express,
  prisma: PrismaClient,
  logger: Logger,
  connections: ConnectionCheck = {},
): void {
  app.get('/readyz', async (_request, response) => {
    const down = Object.keys(connections).filter((name) => !connections[name]?.());
    if (down.length > 0) {
      logger.warn({ down }, 'not ready: a chat connection is down');
      const state = Object.fromEntries(down.map((name) => [name, 'disconnected']));
      return void response.status(503).json({ status: 'not_ready', ...state });
    }

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
