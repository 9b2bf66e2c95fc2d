// The bot's one HTTP server: Slack's requests (HTTP mode), and later the Stripe webhook, the
// usage API, health and metrics, all on PORT.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';

export interface HttpServer {
  readonly app: Express;
  /** Starts listening; resolves with the port (useful with PORT=0). */
  listen(port: number): Promise<number>;
  close(): Promise<void>;
}

export function createHttpServer(): HttpServer {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });

  let server: Server | null = null;
  return {
    app,
    listen(port) {
      return new Promise((resolve, reject) => {
        const listening = createServer(app);
        // Slow or stalled clients are cut off instead of holding sockets open.
        listening.requestTimeout = 30_000;
        listening.headersTimeout = 10_000;
        listening.once('error', reject);
        listening.listen(port, () => {
          server = listening;
          resolve((listening.address() as AddressInfo).port);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
