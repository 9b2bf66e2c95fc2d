// A TCP proxy on 127.0.0.1 that can lose its far side and find it again: put between the bot and
// PostgreSQL, it plays the network failing under a running bot. Bytes pass through untouched.
import { type AddressInfo, createConnection, createServer, type Socket } from 'node:net';

/** What happens to the connections open when the proxy is cut. */
export type CutMode =
  /** Reset at once, as when the database server restarts or its host dies. */
  | 'reset'
  /** Kept open but silent, every byte swallowed, as in a network partition. */
  | 'silence';

export interface TcpProxy {
  port: number;
  /** How many connections it has accepted so far, held ones included. */
  readonly accepted: number;
  /**
   * Loses the far side. Open connections are reset or silenced (`mode`); new ones are accepted
   * but never answered, as when a firewall or a dead host swallows packets, so only a client's
   * own timeouts end them.
   */
  cut(mode?: CutMode): void;
  /** Forwards new connections again; the ones held or silenced while cut are reset. */
  restore(): void;
  close(): Promise<void>;
}

/** Starts a proxy that forwards each connection to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  // Each forwarded connection: the client's socket and the one to the target.
  const forwarded = new Map<Socket, Socket>();
  const held = new Set<Socket>();
  let cut = false;
  let accepted = 0;

  const hold = (socket: Socket) => {
    held.add(socket);
    socket.on('close', () => held.delete(socket));
    // Swallowed, never answered.
    socket.on('data', () => {});
  };

  const server = createServer((client) => {
    accepted += 1;
    // A reset connection reports an error; the proxy passes it on only by closing the other side.
    client.on('error', () => client.destroy());
    if (cut) return hold(client);

    const upstream = createConnection(target);
    upstream.on('error', () => upstream.destroy());
    forwarded.set(client, upstream);
    client.on('close', () => {
      forwarded.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const resetForwarded = () => {
    for (const [client, upstream] of [...forwarded]) {
      client.resetAndDestroy();
      upstream.destroy();
    }
  };
  const resetHeld = () => {
    for (const socket of [...held]) socket.resetAndDestroy();
  };

  return {
    port,
    get accepted() {
      return accepted;
    },
    cut(mode = 'reset') {
      cut = true;
      if (mode === 'reset') return resetForwarded();
      for (const [client, upstream] of [...forwarded]) {
        forwarded.delete(client);
        client.unpipe(upstream);
        upstream.unpipe(client);
        // The database's replies are dropped too; the upstream closes when the client does.
        upstream.on('data', () => {});
        hold(client);
      }
    },
    restore() {
      cut = false;
      resetHeld();
    },
    close() {
      resetForwarded();
      resetHeld();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
