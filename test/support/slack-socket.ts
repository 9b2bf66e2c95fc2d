// A loopback stand-in for Slack's Socket Mode. It plays Slack's side only: `apps.connections.open`
// on the FakeSlack hands out a ws://127.0.0.1 URL with a one-time ticket; on connecting, the app
// gets `hello`, then the envelopes a test delivers, and each ack it sends back is recorded.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { type FakeSlack, TEST_APP_ID } from './slack-api.ts';
import type { SlackRequest } from './slack-requests.ts';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** The frame an app sends for an envelope: its id and, where Slack accepts one, a payload. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface SocketClose {
  code: number;
  reason: string;
}

export interface FakeSlackSocket {
  /** The tokens `apps.connections.open` was called with, in order. */
  readonly openTokens: string[];
  /** Every frame the app has sent (acks), in order. */
  readonly frames: SocketAck[];
  /** Every close the stand-in has seen, in order. */
  readonly closes: SocketClose[];
  /** How many app connections are open now; one whose close handshake began no longer counts. */
  openConnections(): number;
  /**
   * Sends one envelope (with a new envelope id unless given) to the connected app; resolves with
   * the first frame the app sends back for that id, rejects after timeoutMs (default 10 s).
   */
  deliver(
    type: EnvelopeType,
    payload: object,
    options?: { envelopeId?: string; timeoutMs?: number },
  ): Promise<SocketAck>;
  /** Resolves at the next close of an app's connection (or at once if `count` were seen). */
  waitForClose(count?: number, timeoutMs?: number): Promise<SocketClose[]>;
  /** Answers `apps.connections.open` on the FakeSlack; again after `fake.reset()`. */
  serveConnectionsOpen(): void;
  close(): Promise<void>;
}

/**
 * What Socket Mode carries as `payload` for a request our builders make for HTTP mode: the
 * slash command's fields as an object, an interaction's `payload` JSON, an event body as is.
 */
export function socketPayload(request: SlackRequest): Record<string, unknown> {
  if (request.kind === 'json') return JSON.parse(request.body) as Record<string, unknown>;
  const fields = new URLSearchParams(request.body);
  const interaction = fields.get('payload');
  if (interaction !== null) return JSON.parse(interaction) as Record<string, unknown>;
  return Object.fromEntries(fields);
}

/** Slack accepts a response payload in the ack of commands and interactions, not of events. */
function envelope(type: EnvelopeType, payload: object, envelopeId: string) {
  return {
    envelope_id: envelopeId,
    payload,
    type,
    accepts_response_payload: type !== 'events_api',
    ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
  };
}

function withTimeout<T>(
  timeoutMs: number,
  what: string,
  start: (done: (value: T) => void) => void,
) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Slack socket: ${what}`)), timeoutMs);
    start((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

export async function startFakeSlackSocket(fake: FakeSlack): Promise<FakeSlackSocket> {
  const openTokens: string[] = [];
  const frames: SocketAck[] = [];
  const closes: SocketClose[] = [];
  const tickets = new Set<string>();
  const acks = new Map<string, (ack: SocketAck) => void>();
  const closeWaiters = new Set<() => void>();
  let connected: WebSocket | null = null;

  // Slack's URLs carry a one-time ticket; a reused or made-up one is refused at the upgrade.
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    path: '/link/',
    verifyClient: ({ req }: { req: IncomingMessage }) =>
      tickets.delete(new URL(req.url ?? '', 'ws://127.0.0.1').searchParams.get('ticket') ?? ''),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;

  server.on('connection', (socket) => {
    connected = socket;
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: server.clients.size,
        debug_info: {
          host: 'applink-loopback',
          build_number: 1,
          approximate_connection_time: 3600,
        },
        connection_info: { app_id: TEST_APP_ID },
      }),
    );

    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as SocketAck;
      frames.push(frame);
      acks.get(frame.envelope_id)?.(frame);
      acks.delete(frame.envelope_id);
    });

    socket.on('close', (code, reason) => {
      if (connected === socket) connected = null;
      closes.push({ code, reason: reason.toString() });
      for (const wake of closeWaiters) wake();
    });
  });

  const serveConnectionsOpen = () =>
    fake.answer('apps.connections.open', (call) => {
      openTokens.push(call.token ?? '');
      const ticket = randomUUID();
      tickets.add(ticket);
      const url = `ws://127.0.0.1:${port}/link/?ticket=${ticket}&app_id=${TEST_APP_ID}`;
      return { body: { ok: true, url } };
    });
  serveConnectionsOpen();

  return {
    openTokens,
    frames,
    closes,
    openConnections: () =>
      [...server.clients].filter((client) => client.readyState === WebSocket.OPEN).length,
    serveConnectionsOpen,

    deliver(type, payload, { envelopeId = randomUUID(), timeoutMs = 10_000 } = {}) {
      const socket = connected;
      if (socket === null) return Promise.reject(new Error('Slack socket: no app is connected'));
      const what = `no ack for the ${type} envelope ${envelopeId} within ${timeoutMs} ms`;
      return withTimeout<SocketAck>(timeoutMs, what, (done) => {
        acks.set(envelopeId, done);
        socket.send(JSON.stringify(envelope(type, payload, envelopeId)));
      });
    },

    waitForClose(count = closes.length + 1, timeoutMs = 10_000) {
      const what = `waited ${timeoutMs} ms for ${count} close(s), saw ${closes.length}`;
      return withTimeout<SocketClose[]>(timeoutMs, what, (done) => {
        const wake = () => {
          if (closes.length < count) return;
          closeWaiters.delete(wake);
          done(closes);
        };
        closeWaiters.add(wake);
        wake();
      });
    },

    close() {
      for (const socket of server.clients) socket.terminate();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
