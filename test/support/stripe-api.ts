// A loopback stand-in for Stripe's API that the real `stripe` SDK talks to (its `host`, `port` and
// `protocol` options, fed from STRIPE_API_BASE). It plays Stripe's side of the wire: API keys,
// idempotency keys, form-encoded params, error shapes and list pagination; the endpoints are in
// stripe-api-routes.ts. Every request is recorded before it is answered, and tests can make
// Stripe slow or failing, or complete a Checkout Session as a payer would.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import {
  answerStripeRequest,
  isRecord,
  type StripeAnswer,
  type StripeState,
  stripeError,
} from './stripe-api-routes.ts';
import {
  checkoutSession,
  invoice,
  type StripeErrorBody,
  stripeErrorBody,
} from './stripe-events.ts';

export interface RecordedStripeRequest {
  method: string;
  /** `/v1/checkout/sessions`, without the query. */
  path: string;
  /** The query's params, nested as the body's (`created[gte]` → `{ created: { gte } }`). */
  query: Record<string, unknown>;
  /** The form params, nested; every value is the string that was sent. */
  body: Record<string, unknown>;
  rawBody: string;
  headers: IncomingHttpHeaders;
  idempotencyKey: string | null;
  /** From `Authorization: Bearer …`; null when absent. */
  apiKey: string | null;
  /** True when Stripe's saved answer to an earlier request with the same key was replayed. */
  replayed: boolean;
  /** The status answered; 0 while the request is being answered. */
  status: number;
  at: number;
}

export interface StripeFailure {
  status: number;
  /** Stripe's error JSON; by default one that fits the status (`api_error` for a 5xx). */
  body?: StripeErrorBody;
  /** E.g. `{ 'stripe-should-retry': 'false' }`, which the SDK obeys. */
  headers?: Record<string, string>;
  /** Only requests of this method fail; any method by default. */
  method?: string;
  /** How many matching requests fail in a row; 1 by default. */
  times?: number;
}

export interface FakeStripeOptions {
  /** The only key accepted; by default any `sk_test_…` or `rk_test_…` key. */
  apiKey?: string;
}

export interface FakeStripe {
  /** `http://127.0.0.1:<port>`, for STRIPE_API_BASE. */
  url: string;
  /** The SDK options that point a `new Stripe(key, {...})` here. */
  sdkOptions: { host: string; port: number; protocol: 'http' };
  requests: RecordedStripeRequest[];
  /** Recorded requests of one method to one exact path. */
  requestsTo(method: string, path: string): RecordedStripeRequest[];
  customers: StripeState['customers'];
  sessions: StripeState['sessions'];
  /** Each customer's tax ids, oldest first. */
  taxIds: StripeState['taxIds'];
  invoices: StripeState['invoices'];
  /** Path prefix → milliseconds each matching request waits before it is answered. */
  delayMs: Map<string, number>;
  /**
   * The next matching request (by path prefix) answers with `failure` instead. Failed answers
   * are not saved under their idempotency key, so the SDK's retry with the same key runs anew.
   */
  failNext(pathPrefix: string, failure: StripeFailure): void;
  /**
   * Completes a session as a paid Checkout does: a payment intent, and an invoice (readable at
   * GET /v1/invoices/:id) when the session asked for one. `paid` overrides any field.
   */
  setSessionPaid(
    sessionId: string,
    paid?: Partial<Stripe.Checkout.Session>,
  ): Stripe.Checkout.Session;
  /** Adds a session as if made earlier (`{ created }` in the past); complete and paid unless told. */
  addSession(fields?: Partial<Stripe.Checkout.Session>): Stripe.Checkout.Session;
  /** Forgets requests, objects, saved idempotent answers, delays and failures. */
  reset(): void;
  close(): Promise<void>;
}

// Keys a form param may not use: they would reach Object.prototype.
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Stripe's form encoding (`line_items[0][price_data][unit_amount]=1000`) as nested objects;
 * objects whose keys are all digits become arrays. Values stay the strings that were sent.
 */
export function parseStripeForm(encoded: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(encoded)) {
    const [head = '', ...rest] = key.split('[');
    const names = [head, ...rest.map((part) => part.replace(/\]$/, ''))];
    let node = root;

    for (const [depth, given] of names.entries()) {
      // `expand[]=a&expand[]=b` appends, as the empty brackets mean.
      const name = given === '' && depth > 0 ? String(Object.keys(node).length) : given;
      if (UNSAFE_KEYS.has(name)) break;
      if (depth === names.length - 1) {
        node[name] = value;
        break;
      }
      const next = isRecord(node[name]) ? (node[name] as Record<string, unknown>) : {};
      node[name] = next;
      node = next;
    }
  }
  return arraysOf(root) as Record<string, unknown>;
}

function arraysOf(node: unknown): unknown {
  if (!isRecord(node)) return node;
  const entries = Object.entries(node).map(([key, value]) => [key, arraysOf(value)] as const);
  const indexed = entries.length > 0 && entries.every(([key]) => /^\d+$/.test(key));
  if (!indexed) return Object.fromEntries(entries);
  return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, value]) => value);
}

// What Stripe says with each status, unless a test gives the body.
function failureBody(status: number): StripeErrorBody {
  if (status === 429) {
    const message = 'Too many requests hit the API too quickly.';
    return stripeErrorBody('invalid_request_error', message, { code: 'rate_limit' });
  }
  if (status >= 500) return stripeErrorBody('api_error', "Something went wrong on Stripe's end.");
  return stripeErrorBody('invalid_request_error', `Scripted failure with status ${status}.`);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const firstHeader = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
};

interface SavedAnswer {
  path: string;
  rawBody: string;
  answer: StripeAnswer;
}

export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  let lastId = 0;
  const state: StripeState = {
    customers: new Map(),
    sessions: new Map(),
    taxIds: new Map(),
    invoices: new Map(),
    newId: (prefix) => `${prefix}${String(++lastId).padStart(14, '0')}`,
    now: () => Math.floor(Date.now() / 1000),
  };
  const requests: RecordedStripeRequest[] = [];
  let lastRequest = 0;
  const delayMs = new Map<string, number>();
  const failures: Array<{ prefix: string; failure: StripeFailure; left: number }> = [];
  const saved = new Map<string, SavedAnswer>();
  const inFlight = new Set<string>();
  const sleepers = new Set<() => void>();

  const keyAccepted = (key: string | null) =>
    key !== null && (options.apiKey ? key === options.apiKey : /^(sk|rk)_test_\w+$/.test(key));

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

  const takeFailure = (request: RecordedStripeRequest): StripeAnswer | null => {
    const index = failures.findIndex(
      ({ prefix, failure }) =>
        request.path.startsWith(prefix) && (!failure.method || failure.method === request.method),
    );
    const entry = failures[index];
    if (!entry) return null;
    entry.left -= 1;
    if (entry.left <= 0) failures.splice(index, 1);
    const { status, body = failureBody(status), headers = {} } = entry.failure;
    return { status, body, headers };
  };

  // Stripe keeps the first answer to a key (per API key) and replays it. The same key with other
  // params, or while its first request still runs, is refused.
  const replayOrConflict = (request: RecordedStripeRequest, key: string): StripeAnswer | null => {
    const earlier = saved.get(key);
    if (earlier && earlier.path === request.path && earlier.rawBody === request.rawBody) {
      request.replayed = true;
      return earlier.answer;
    }
    if (earlier) {
      const message =
        'Keys for idempotent requests can only be used with the same parameters they were ' +
        `first used with. Try using a key other than '${request.idempotencyKey}'.`;
      return stripeError(400, 'idempotency_error', message);
    }
    if (!inFlight.has(key)) return null;
    const message =
      'There is currently another in-progress request using this idempotency key ' +
      `(${request.idempotencyKey}). Please try again later.`;
    return stripeError(409, 'idempotency_error', message, 'idempotency_key_in_use');
  };

  // Runs a request as Stripe would: the API key first, then idempotency, then the endpoint.
  const answerFor = async (request: RecordedStripeRequest): Promise<StripeAnswer> => {
    if (!keyAccepted(request.apiKey)) {
      return stripeError(401, 'invalid_request_error', 'Invalid API Key provided');
    }
    const key =
      request.method === 'POST' && request.idempotencyKey
        ? `${request.apiKey}\n${request.idempotencyKey}`
        : null;
    const earlier = key ? replayOrConflict(request, key) : null;
    if (earlier) return earlier;

    if (key) inFlight.add(key);
    try {
      const delay = [...delayMs].find(([prefix]) => request.path.startsWith(prefix))?.[1] ?? 0;
      if (delay > 0) await sleep(delay);
      const failure = takeFailure(request);
      if (failure) return failure;

      const answer = answerStripeRequest(state, request);
      // Only the answers of an endpoint that ran are kept: a refused request may be sent again.
      if (key && answer.status < 400) {
        saved.set(key, { path: request.path, rawBody: request.rawBody, answer });
      }
      return answer;
    } finally {
      if (key) inFlight.delete(key);
    }
  };

  const send = (res: ServerResponse, request: RecordedStripeRequest, answer: StripeAnswer) => {
    request.status = answer.status;
    // A client that gave up (its timeout) no longer listens; the request still took effect.
    if (res.destroyed || res.socket?.destroyed) return;
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      'request-id': `req_test_${++lastRequest}`,
      ...(request.idempotencyKey ? { 'idempotency-key': request.idempotencyKey } : {}),
      ...(request.replayed ? { 'idempotent-replayed': 'true' } : {}),
      ...answer.headers,
    });
    res.end(JSON.stringify(answer.body));
  };

  const record = async (req: IncomingMessage): Promise<RecordedStripeRequest> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawBody = await readBody(req);
    const bearer = firstHeader(req.headers, 'authorization')?.match(/^Bearer\s+(\S+)$/i);
    const request: RecordedStripeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: parseStripeForm(url.search.slice(1)),
      body: parseStripeForm(rawBody),
      rawBody,
      headers: req.headers,
      idempotencyKey: firstHeader(req.headers, 'idempotency-key'),
      apiKey: bearer?.[1] ?? null,
      replayed: false,
      status: 0,
      at: Date.now(),
    };
    requests.push(request);
    return request;
  };

  const server = createServer((req, res) => {
    void (async () => {
      // A request whose body never arrives (the client went away) is not recorded.
      const request = await record(req).catch(() => null);
      if (!request) {
        res.destroy();
        return;
      }
      const answer = await answerFor(request).catch((error: unknown) =>
        stripeError(500, 'api_error', `fake Stripe failed: ${String(error)}`),
      );
      send(res, request, answer);
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    sdkOptions: { host: '127.0.0.1', port, protocol: 'http' },
    requests,
    requestsTo: (method, path) =>
      requests.filter((request) => request.method === method && request.path === path),
    customers: state.customers,
    sessions: state.sessions,
    taxIds: state.taxIds,
    invoices: state.invoices,
    delayMs,
    failNext(prefix, failure) {
      failures.push({ prefix, failure, left: failure.times ?? 1 });
    },
    setSessionPaid(sessionId, paid = {}) {
      const session = state.sessions.get(sessionId);
      if (!session) throw new Error(`fake Stripe: no Checkout Session ${sessionId}`);
      const invoiceId = session.invoice_creation?.enabled ? state.newId('in_test_') : null;
      Object.assign(session, {
        status: 'complete',
        payment_status: 'paid',
        payment_intent: state.newId('pi_test_'),
        invoice: invoiceId,
        url: null,
        ...paid,
      });

      const { invoice: id, customer, currency, amount_total: total } = session;
      if (typeof id === 'string' && !state.invoices.has(id)) {
        const fields = { id, customer, currency: currency ?? 'eur', total: total ?? 0 };
        state.invoices.set(id, invoice({ ...fields, created: state.now() }));
      }
      return session;
    },
    addSession(fields = {}) {
      const session = checkoutSession({ id: state.newId('cs_test_'), ...fields });
      state.sessions.set(session.id, session);
      return session;
    },
    reset() {
      requests.length = 0;
      for (const map of [state.customers, state.sessions, state.taxIds, state.invoices]) {
        map.clear();
      }
      delayMs.clear();
      failures.length = 0;
      saved.clear();
    },
    close() {
      for (const wake of [...sleepers]) wake();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
