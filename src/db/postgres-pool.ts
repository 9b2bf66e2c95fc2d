// The PostgreSQL connection pool behind Prisma: bounded waits, and connections that broke while a
// transaction held them are given back, so that the bot outlives a database outage.
import pg from 'pg';

// A database host that is down often swallows packets instead of refusing them; without these
// bounds a connection attempt, or a query on a connection that went silent, waits forever, and
// so do the bot's start-up, a chat command and every request queued behind them.
export const POOL_OPTIONS = {
  // Connecting (TCP, TLS, authentication) takes milliseconds; a slow cloud database a second or
  // two. Past this (Prisma's own default) the database counts as unreachable: start-up exits, a
  // command says so.
  connectionTimeoutMillis: 5_000,
  // Client-side, so it also ends a query whose connection went silent (the server cannot time
  // out what it never receives). The bot's queries take milliseconds; migrations do not use it.
  query_timeout: 10_000,
  // Probes idle connections, so that a NAT or load balancer on the way does not drop them
  // silently (a dropped one would cost the next query its whole timeout).
  keepAlive: true,
  keepAliveInitialDelayMillis: 30_000,
} satisfies pg.PoolConfig;

/**
 * A pool for `PrismaPg`. @prisma/adapter-pg 6.19 gives a transaction's connection back only
 * after its COMMIT or ROLLBACK succeeds, which never happens once the connection broke: each
 * transaction cut by an outage kept one of the pool's connections for good, until every query
 * waited for a free one in vain and closing the pool never finished. And a ROLLBACK that fails
 * from Prisma's transaction timer is a rejected promise nobody handles, which ends the process.
 * Here a connection whose query fails for any reason but an SQL error is released at once, with
 * the error, so that the pool drops it; and a ROLLBACK on such a connection counts as done:
 * PostgreSQL rolls back the open transaction of a connection that is gone.
 */
export function createPostgresPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, ...POOL_OPTIONS });
  // An idle connection that breaks (the server restarted, or ended it while the pool was closing)
  // is dropped by the pool, which then emits 'error': without a listener, that ends the process.
  // The adapter listens only until Prisma disconnects, and the next query opens a new connection.
  pool.on('error', () => {});
  const checkOut = pool.connect.bind(pool);
  // pg's own pool.query() checks out with a callback and releases failed connections itself.
  pool.connect = ((callback?: Parameters<typeof checkOut>[0]) =>
    callback ? checkOut(callback) : checkOut().then(releasedOnFailure)) as typeof pool.connect;
  return pool;
}

function releasedOnFailure(client: pg.PoolClient): pg.PoolClient {
  const { query, release } = client;
  let released = false;
  const releaseOnce = (error?: Error | boolean) => {
    if (released) return;
    released = true;
    // A healthy connection goes back to the pool as it came; a broken one is dropped.
    if (!error) client.query = query;
    release(error);
  };

  client.release = releaseOnce;
  client.query = ((...args: Parameters<typeof query>) => {
    const result: unknown = Reflect.apply(query, client, args);
    if (!(result instanceof Promise)) return result;
    return result.catch((error: unknown) => {
      // An SQL error (a unique key, a deadlock) leaves the connection usable.
      if (error instanceof pg.DatabaseError) throw error;
      releaseOnce(error instanceof Error ? error : new Error(String(error)));
      if (isRollback(args[0])) return { command: 'ROLLBACK', rowCount: null, rows: [], fields: [] };
      throw error;
    });
  }) as typeof query;
  return client;
}

function isRollback(queryConfig: unknown): boolean {
  const text =
    typeof queryConfig === 'string' ? queryConfig : (queryConfig as { text?: unknown })?.text;
  return typeof text === 'string' && text.trim().toUpperCase() === 'ROLLBACK';
}
