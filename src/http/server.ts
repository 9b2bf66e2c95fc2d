// The bot's one HTTP server: Slack's requests (HTTP mode), the Stripe webhook, the usage API,
// health and metrics, all on PORT.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request } from 'express';
import { httpRequestSeconds, registry } from '../metrics.ts';

export interface HttpServer {
  readonly app: Express;
  /** Starts listening; resolves with the port (useful with PORT=0). */
  listen(port: number): Promise<number>;
  close(): Promise<void>;
}

export function createHttpServer(): HttpServer {
  const app = express();
  app.disable('x-powered-by');
  app.use((request, response, next) => {
    const stop = httpRequestSeconds.startTimer({ method: request.method });
    response.on('finish', () => stop({ route: routeOf(request), status: response.statusCode }));
    next();
  });
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/metrics', async (_request, response) => {
    response.type(registry.contentType).send(await registry.metrics());
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

// Routes as a few fixed names: paths carry account ids, and every distinct label value is a new
// time series in Prometheus.
const ROUTES = [
  '/slack/events',
  '/slack/install',
  '/slack/oauth_redirect',
  '/stripe/webhook',
  '/api/v1/usage',
  '/api/v1/accounts',
  '/billing/checkout',
  '/healthz',
  '/readyz',
  '/metrics',
];

function routeOf(request: Request): string {
  const path = request.originalUrl.split('?')[0] ?? '';
  return ROUTES.find((route) => path === route || path.startsWith(`${route}/`)) ?? 'other';
}
