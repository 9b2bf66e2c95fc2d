// A loopback stand-in for Discord's gateway (API v10, JSON text frames, no compression): what an
// unmodified discord.js client needs to log in and to receive the events a test sends. It plays
// Discord's side: hello, identify or resume, heartbeat acks, READY and one GUILD_CREATE per guild,
// then dispatches with rising sequence numbers. Every frame a client sends is recorded.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import {
  type APIUser,
  ApplicationFlags,
  GatewayCloseCodes,
  GatewayDispatchEvents,
  type GatewayDispatchPayload,
  type GatewayGuildCreateDispatchData,
  GatewayIntentBits,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
} from 'discord.js';
import { WebSocket, WebSocketServer } from 'ws';

export interface GatewaySetup {
  /** The HTTP server whose upgrades to `path` become gateway connections. */
  server: Server;
  path: string;
  url: string;
  heartbeatIntervalMs: number;
  acceptsToken: (token: string) => boolean;
  /** The privileged intents enabled for the app in the developer portal, as a bitfield. */
  privilegedIntents: number;
  botUser: APIUser;
  applicationId: string;
  guilds: GatewayGuildCreateDispatchData[];
}

export interface GatewayIdentify {
  token: string;
  intents: number;
  properties: unknown;
  shard: [number, number] | null;
  at: number;
}

export interface GatewayResume {
  sessionId: string;
  /** The last sequence number the client had seen. */
  sequence: number;
  /** False when the session was unknown: the client got op 9 and must identify anew. */
  resumed: boolean;
  at: number;
}

/** A frame a client sent, heartbeats included. */
export interface GatewayFrame {
  op: number;
  d: unknown;
  at: number;
}

export interface FakeGateway {
  readonly identifies: GatewayIdentify[];
  readonly resumes: GatewayResume[];
  readonly received: GatewayFrame[];
  readonly closes: Array<{ code: number; by: 'client' | 'gateway'; at: number }>;
  /** Sends one dispatch on the current session; rejects when no client has identified yet. */
  dispatch(event: string, data: unknown): Promise<{ sequence: number; at: number }>;
  /** Asks the client to reconnect and resume (op 7), as Discord does before moving a session. */
  requestReconnect(): void;
  /** Drops the connections with `code` (default 4000, unknown error: the client resumes). */
  disconnect(code?: number): void;
  close(): Promise<void>;
}

interface Session {
  id: string;
  token: string;
  sequence: number;
  /** Every dispatch of the session, replayed after `seq` when the client resumes. */
  log: GatewayDispatchPayload[];
  socket: WebSocket | null;
}

const { GuildMembers, GuildPresences, MessageContent, Guilds } = GatewayIntentBits;
const PRIVILEGED_INTENTS = GuildMembers | GuildPresences | MessageContent;
// Ops a client may send once identified that need no answer here.
const QUIET_OPS = new Set<number>([
  GatewayOpcodes.PresenceUpdate,
  GatewayOpcodes.VoiceStateUpdate,
  GatewayOpcodes.RequestGuildMembers,
]);

/** The application flags Discord sets for the privileged intents an unverified app enabled. */
function applicationFlags(privilegedIntents: number): number {
  let flags = 0;
  if (privilegedIntents & GuildMembers) flags |= ApplicationFlags.GatewayGuildMembersLimited;
  if (privilegedIntents & GuildPresences) flags |= ApplicationFlags.GatewayPresenceLimited;
  if (privilegedIntents & MessageContent) flags |= ApplicationFlags.GatewayMessageContentLimited;
  return flags;
}

export function startFakeGateway(setup: GatewaySetup): FakeGateway {
  const identifies: GatewayIdentify[] = [];
  const resumes: GatewayResume[] = [];
  const received: GatewayFrame[] = [];
  const closes: FakeGateway['closes'] = [];
  const sessions = new Map<string, Session>();
  let current: Session | null = null;
  const wss = new WebSocketServer({ server: setup.server, path: setup.path });

  const send = (socket: WebSocket, payload: object) =>
    new Promise<void>((resolve) => {
      if (socket.readyState !== WebSocket.OPEN) return resolve();
      socket.send(JSON.stringify(payload), () => resolve());
    });

  const closedByGateway = new WeakSet<WebSocket>();
  const closeWith = (socket: WebSocket, code: GatewayCloseCodes) => {
    closedByGateway.add(socket);
    socket.close(code, GatewayCloseCodes[code]);
  };

  const sessionDispatch = async (session: Session, event: string, data: unknown) => {
    session.sequence += 1;
    const payload = { op: GatewayOpcodes.Dispatch, t: event, s: session.sequence, d: data };
    session.log.push(payload as GatewayDispatchPayload);
    const at = Date.now();
    if (session.socket) await send(session.socket, payload);
    return { sequence: session.sequence, at };
  };

  // READY names the guilds as unavailable; each GUILD_CREATE then fills one in. discord.js waits
  // for all of them (or for `waitGuildTimeout`, 15 s) before it emits ready.
  const identify = async (
    socket: WebSocket,
    identifyData: Record<string, unknown>,
  ): Promise<Session> => {
    const intents = Number(identifyData.intents ?? 0);
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      token: String(identifyData.token),
      sequence: 0,
      log: [],
      socket,
    };
    sessions.set(session.id, session);
    current = session;
    const shard = Array.isArray(identifyData.shard)
      ? (identifyData.shard as [number, number])
      : null;
    identifies.push({
      token: session.token,
      intents,
      properties: identifyData.properties,
      shard,
      at: Date.now(),
    });

    const flags = applicationFlags(setup.privilegedIntents);
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: setup.botUser,
      guilds: setup.guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: setup.url,
      ...(shard ? { shard } : {}),
      application: { id: setup.applicationId, flags, flags_new: String(flags) },
    };
    await sessionDispatch(session, GatewayDispatchEvents.Ready, ready);
    if (!(intents & Guilds)) return session;

    // Without the Guild Members intent Discord leaves out every member but the bot itself.
    for (const guild of setup.guilds) {
      const members =
        intents & GuildMembers
          ? guild.members
          : guild.members.filter((member) => member.user.id === setup.botUser.id);
      await sessionDispatch(session, GatewayDispatchEvents.GuildCreate, { ...guild, members });
    }
    return session;
  };

  const resume = async (socket: WebSocket, resumeData: Record<string, unknown>) => {
    const sessionId = String(resumeData.session_id);
    const sequence = Number(resumeData.seq ?? 0);
    const session = sessions.get(sessionId);
    const resumed = session !== undefined && session.token === resumeData.token;
    resumes.push({ sessionId, sequence, resumed, at: Date.now() });
    if (!session || !resumed) {
      await send(socket, { op: GatewayOpcodes.InvalidSession, d: false });
      return null;
    }

    if (session.socket && session.socket !== socket) session.socket.terminate();
    session.socket = socket;
    current = session;
    for (const missed of session.log.filter((payload) => payload.s > sequence)) {
      await send(socket, missed);
    }
    await sessionDispatch(session, GatewayDispatchEvents.Resumed, {});
    return session;
  };

  wss.on('connection', (socket) => {
    let session: Session | null = null;
    let authenticating = false;
    const heartbeat = { heartbeat_interval: setup.heartbeatIntervalMs };
    void send(socket, { op: GatewayOpcodes.Hello, d: heartbeat, s: null, t: null });

    const handle = async (frame: { op: number; d: unknown }) => {
      const data = (frame.d ?? {}) as Record<string, unknown>;
      if (frame.op === GatewayOpcodes.Heartbeat) {
        await send(socket, { op: GatewayOpcodes.HeartbeatAck });
      } else if (frame.op === GatewayOpcodes.Identify || frame.op === GatewayOpcodes.Resume) {
        if (session || authenticating) {
          return closeWith(socket, GatewayCloseCodes.AlreadyAuthenticated);
        }
        if (!setup.acceptsToken(String(data.token ?? ''))) {
          return closeWith(socket, GatewayCloseCodes.AuthenticationFailed);
        }
        const disallowed =
          Number(data.intents ?? 0) & PRIVILEGED_INTENTS & ~setup.privilegedIntents;
        if (frame.op === GatewayOpcodes.Identify && disallowed) {
          return closeWith(socket, GatewayCloseCodes.DisallowedIntents);
        }
        authenticating = true;
        session =
          frame.op === GatewayOpcodes.Resume
            ? await resume(socket, data)
            : await identify(socket, data);
        // An unknown session got op 9: the client identifies next, on this connection.
        authenticating = session !== null;
      } else if (!session) {
        closeWith(socket, GatewayCloseCodes.NotAuthenticated);
      } else if (!QUIET_OPS.has(frame.op)) {
        closeWith(socket, GatewayCloseCodes.UnknownOpcode);
      }
    };

    socket.on('message', (raw, isBinary) => {
      let frame: { op: number; d: unknown };
      try {
        // This stand-in speaks JSON in text frames only, as discord.js does without zlib-sync.
        if (isBinary) throw new Error('binary frame');
        frame = JSON.parse(String(raw));
      } catch {
        return closeWith(socket, GatewayCloseCodes.DecodeError);
      }
      received.push({ op: frame.op, d: frame.d, at: Date.now() });
      void handle(frame).catch(() => socket.terminate());
    });

    socket.on('close', (code) => {
      closes.push({ code, by: closedByGateway.has(socket) ? 'gateway' : 'client', at: Date.now() });
      if (session?.socket === socket) session.socket = null;
    });
  });

  return {
    identifies,
    resumes,
    received,
    closes,
    dispatch(event, data) {
      if (!current) {
        return Promise.reject(
          new Error('fake Discord gateway: no client has identified; await its ready event first'),
        );
      }
      return sessionDispatch(current, event, data);
    },
    requestReconnect() {
      for (const socket of wss.clients) {
        void send(socket, { op: GatewayOpcodes.Reconnect, d: null });
      }
    },
    disconnect(code = GatewayCloseCodes.UnknownError) {
      for (const socket of wss.clients) closeWith(socket, code);
    },
    async close() {
      // A client still connected (not destroyed first) would retry a closed port for ever; 4004
      // is a code discord.js gives up on. Whatever has not closed within 200 ms is cut off.
      const open = [...wss.clients];
      const signal = AbortSignal.timeout(200);
      const closed = open.map((socket) => once(socket, 'close', { signal }));
      for (const socket of open) closeWith(socket, GatewayCloseCodes.AuthenticationFailed);
      await Promise.all(closed).catch(() => undefined);
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
