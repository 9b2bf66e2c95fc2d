// The REST half of the Discord stand-in: routes requests under /api/v10 to the answers of
// discord-rest-routes.ts and discord-interaction-routes.ts, checks the bot token where Discord
// does, and records every request before answering it. Tests can wait for a call, and make a
// route slow or failing.
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { followUp, interactionCallback, webhookMessage } from './discord-interaction-routes.ts';
import {
  type Answerer,
  commandsRoute,
  createMessage,
  type DiscordAnswer,
  type DiscordState,
  getApplication,
  getChannel,
  getGateway,
  getGuild,
  getMember,
  openDm,
  type Params,
  scriptedFailure,
} from './discord-rest-routes.ts';

interface Route {
  route: string;
  answer: Answerer;
  /** Bot routes need `Authorization: Bot <token>`; interaction responses go by their token. */
  botAuth: boolean;
}
const botRoute = (route: string, answer: Answerer): Route => ({ route, answer, botAuth: true });
const tokenRoute = (route: string, answer: Answerer): Route => ({ route, answer, botAuth: false });
const webhookMessagePath = '/webhooks/:applicationId/:token/messages/:messageId';

const ROUTES: Route[] = [
  tokenRoute('GET /gateway', getGateway),
  botRoute('GET /gateway/bot', getGateway),
  tokenRoute('POST /interactions/:interactionId/:token/callback', interactionCallback),
  tokenRoute('POST /webhooks/:applicationId/:token', followUp),
  ...['GET', 'PATCH', 'DELETE'].map((method) =>
    tokenRoute(`${method} ${webhookMessagePath}`, webhookMessage),
  ),
  botRoute('GET /applications/@me', getApplication),
  ...['GET', 'PUT'].flatMap((method) => [
    botRoute(`${method} /applications/:applicationId/commands`, commandsRoute('global')),
    botRoute(
      `${method} /applications/:applicationId/guilds/:guildId/commands`,
      commandsRoute('guild'),
    ),
  ]),
  botRoute('POST /channels/:channelId/messages', createMessage),
  botRoute('GET /channels/:channelId', getChannel),
  botRoute('GET /guilds/:guildId', getGuild),
  botRoute('GET /guilds/:guildId/members/:userId', getMember),
  botRoute('GET /users/@me', (state) => ({ status: 200, body: state.botUser })),
  botRoute('POST /users/@me/channels', openDm),
];

/** Matches `POST /channels/123/messages` against `POST /channels/:channelId/messages`. */
export function matchRoute(pattern: string, method: string, path: string): Params | null {
  const [patternMethod, patternPath = ''] = pattern.split(' ');
  const wanted = patternPath.split('/');
  const given = path.split('/');
  if (patternMethod !== method || wanted.length !== given.length) return null;
  const params: Params = {};
  for (const [index, segment] of wanted.entries()) {
    const value = given[index] ?? '';
    if (segment.startsWith(':')) params[segment.slice(1)] = value;
    else if (segment !== value) return null;
  }
  return params;
}

const UNKNOWN_ROUTE = { route: 'unknown', params: {} };

function routeOf(method: string, path: string): { route: string; params: Params } {
  for (const { route } of ROUTES) {
    const params = matchRoute(route, method, path);
    if (params) return { route, params };
  }
  return UNKNOWN_ROUTE;
}

export interface RecordedDiscordCall {
  method: string;
  /** The decoded path under /api/v10, without the query (`/channels/1201…201/messages`). */
  path: string;
  /** The route it matched (`POST /channels/:channelId/messages`), or `unknown` (answered 404). */
  route: string;
  params: Params;
  query: Record<string, string>;
  /** The JSON body, parsed; null without one. */
  body: unknown;
  headers: IncomingHttpHeaders;
  authorization: string | null;
  /** The status answered; 0 while the request is being answered. */
  status: number;
  at: number;
  /** Rises across REST calls and interaction dispatches, to assert their order. */
  order: number;
}

/**
 * A call to wait for or to make fail: a route (`POST /channels/:channelId/messages`), a concrete
 * request (`POST /channels/1201000000000000201/messages`), or a predicate.
 */
export type CallPattern = string | ((call: RecordedDiscordCall) => boolean);

export interface DiscordFailure {
  status: number;
  /** Discord's JSON error; by default one that fits the status. */
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail in a row; 1 by default. */
  times?: number;
}

export interface RestRecorder {
  calls: RecordedDiscordCall[];
  callsTo(pattern: CallPattern): RecordedDiscordCall[];
  /** Resolves with the first matching answered call, made or to come; rejects after timeoutMs. */
  waitForCall(pattern: CallPattern, timeoutMs?: number): Promise<RecordedDiscordCall>;
  /**
   * The next matching request answers `status` (and `body`) instead. discord.js retries a 5xx up
   * to three times (rest option `retries`) and waits out a 429: give `times` to outlast them.
   */
  failNext(
    pattern: CallPattern,
    status: number,
    body?: unknown,
    options?: Omit<DiscordFailure, 'status' | 'body'>,
  ): void;
  /** Every matching request waits `ms` before it is answered. */
  delay(pattern: CallPattern, ms: number): void;
  reset(): void;
  /** Rejects pending waits and ends pending delays. */
  stop(): void;
}

// TODO: multipart bodies (messages with files) are recorded as null; routes then see no fields.
/** The request's JSON body, parsed; null without one. Rejects when the client goes away. */
function readJsonBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', reject);
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const json = req.headers['content-type']?.startsWith('application/json') && raw !== '';
      try {
        resolve(json ? JSON.parse(raw) : null);
      } catch {
        resolve(null);
      }
    });
  });
}

/** Serves the REST API on `server`; `nextOrder` numbers calls among the gateway's dispatches. */
export function serveRest(
  server: Server,
  state: DiscordState,
  nextOrder: () => number,
): RestRecorder {
  const calls: RecordedDiscordCall[] = [];
  const failures: Array<{ pattern: CallPattern; failure: DiscordFailure; left: number }> = [];
  const delays: Array<{ pattern: CallPattern; ms: number }> = [];
  const waiters = new Set<{ check: () => void; fail: (error: Error) => void }>();
  const sleepers = new Set<() => void>();

  const matches = (pattern: CallPattern, call: RecordedDiscordCall) =>
    typeof pattern === 'function'
      ? pattern(call)
      : call.route === pattern || matchRoute(pattern, call.method, call.path) !== null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  const takeFailure = (call: RecordedDiscordCall): DiscordAnswer | null => {
    const index = failures.findIndex(({ pattern }) => matches(pattern, call));
    const entry = failures[index];
    if (!entry) return null;
    entry.left -= 1;
    if (entry.left <= 0) failures.splice(index, 1);
    return scriptedFailure(entry.failure);
  };

  // Discord checks the bot token first, then runs the endpoint; unknown paths are a plain 404.
  const answerFor = async (call: RecordedDiscordCall, query: URLSearchParams) => {
    const delay = delays.find(({ pattern }) => matches(pattern, call))?.ms ?? 0;
    if (delay > 0) await sleep(delay);
    const failure = takeFailure(call);
    if (failure) return failure;

    const known = ROUTES.find(({ route }) => route === call.route);
    if (!known) return { status: 404, body: { message: '404: Not Found', code: 0 } };
    const token = call.authorization?.match(/^Bot (\S+)$/)?.[1] ?? '';
    if (known.botAuth && !state.acceptsToken(token)) {
      return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    }
    const request = { method: call.method, path: call.path, query, body: call.body };
    return known.answer(state, { ...request, authorization: call.authorization }, call.params);
  };

  const send = (res: ServerResponse, answer: DiscordAnswer) => {
    if (res.destroyed) return;
    const json = answer.status === 204 ? {} : { 'content-type': 'application/json' };
    res.writeHead(answer.status, { ...json, ...answer.headers });
    res.end(answer.status === 204 ? undefined : JSON.stringify(answer.body ?? null));
  };

  server.on('request', (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = await readJsonBody(req).catch(() => undefined);
      if (body === undefined) return void res.destroy();
      const method = req.method ?? 'GET';
      // discord.js escapes `@original` as `%40original`: paths are recorded decoded.
      const versioned = url.pathname.match(/^\/api\/v10(\/.*)$/)?.[1];
      const path = (versioned ?? url.pathname).split('/').map(decodeURIComponent).join('/');
      const { route, params } = versioned ? routeOf(method, path) : UNKNOWN_ROUTE;
      const call: RecordedDiscordCall = {
        method,
        path,
        route,
        params,
        query: Object.fromEntries(url.searchParams),
        body,
        headers: req.headers,
        authorization: req.headers.authorization ?? null,
        status: 0,
        at: Date.now(),
        order: nextOrder(),
      };
      calls.push(call);

      const answer = await answerFor(call, url.searchParams).catch((error: unknown) => ({
        status: 500,
        body: { message: `fake Discord failed: ${String(error)}`, code: 0 },
      }));
      call.status = answer.status;
      for (const waiter of waiters) waiter.check();
      send(res, answer);
    })();
  });

  const callsTo = (pattern: CallPattern) => calls.filter((call) => matches(pattern, call));

  return {
    calls,
    callsTo,
    waitForCall(pattern, timeoutMs = 5_000) {
      return new Promise<RecordedDiscordCall>((resolve, reject) => {
        const waiter = {
          check: () => {
            const found = calls.find((call) => call.status !== 0 && matches(pattern, call));
            if (!found) return;
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(found);
          },
          fail: (error: Error) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          const seen = calls.map((call) => `${call.method} ${call.path}`).join(', ') || 'none';
          const what = typeof pattern === 'string' ? pattern : 'a matching call';
          waiter.fail(new Error(`fake Discord: no ${what} within ${timeoutMs} ms; calls: ${seen}`));
        }, timeoutMs);
        waiters.add(waiter);
        waiter.check();
      });
    },
    failNext(pattern, status, body, { headers, times = 1 } = {}) {
      failures.push({ pattern, failure: { status, body, headers }, left: times });
    },
    delay(pattern, ms) {
      delays.push({ pattern, ms });
    },
    reset() {
      calls.length = 0;
      failures.length = 0;
      delays.length = 0;
    },
    stop() {
      for (const waiter of [...waiters])
        waiter.fail(new Error('fake Discord closed while waiting'));
      for (const wake of [...sleepers]) wake();
    },
  };
}
