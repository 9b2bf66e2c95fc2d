// A loopback stand-in for Slack's Web API and response URLs. It plays Slack's side only: our code
// and Bolt talk to it through `clientOptions.slackApiUrl` (SLACK_API_URL) and the `response_url`
// of the payloads the tests send. Answers follow the documented shapes of each method; unknown
// methods answer `{ok: true}`. Every request is recorded before it is answered.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  /** Web API method (`users.info`), or `response_url:<id>` for posts to a response URL. */
  method: string;
  /** The request's fields; form values that hold JSON (`view`, `blocks`…) are parsed. */
  body: Record<string, unknown>;
  /** From `Authorization: Bearer …`, else the `token` field; null when absent. */
  token: string | null;
  at: number;
}

export interface SlackAnswer {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** Answers a call; a promise holds the answer back until it settles (a slow Slack). */
export type SlackAnswerHandler = (call: RecordedCall) => SlackAnswer | Promise<SlackAnswer>;

export interface FakeSlack {
  /** Base URL for Bolt's clientOptions.slackApiUrl / SLACK_API_URL, ending in '/': `http://127.0.0.1:<port>/api/` */
  apiUrl: string;
  /** A response_url on this server; posts to it are recorded as method `response_url:<id>` */
  responseUrl(id?: string): string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Resolves when `count` calls to `method` have been recorded (default 1), rejects after timeoutMs (default 10s) listing the calls seen. */
  waitFor(method: string, count?: number, timeoutMs?: number): Promise<RecordedCall[]>;
  /** users.info answers from this map; unknown users → {ok:false,error:'user_not_found'} */
  users: Map<string, SlackUserFixture>;
  /**
   * Override a method's answer (also `response_url:<id>`): a function of the call returning
   * {status?, headers?, body}; e.g. users.info failing with 500, or 429 with `retry-after`.
   */
  answer(method: string, handler: SlackAnswerHandler): void;
  /**
   * The next `times` calls to `method` (default 1) get `failure`, e.g. `{status: 500, body:
   * 'oops'}` or a 429 with `retry-after`; later calls are answered as before.
   */
  failNext(method: string, failure: SlackAnswer, times?: number): void;
  /** Clears calls, overrides and failures (users are kept). */
  reset(): void;
  close(): Promise<void>;
}

/** The `enterprise_user` object users.info carries for members of an Enterprise Grid org. */
export interface SlackEnterpriseUserFixture {
  id: string;
  enterprise_id: string;
  enterprise_name: string;
  is_admin: boolean;
  is_owner: boolean;
  is_primary_owner?: boolean;
  teams: string[];
}

export interface SlackUserFixture {
  id: string;
  name: string;
  real_name?: string;
  team_id: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  deleted?: boolean;
  is_bot?: boolean;
  /** IANA zone name, as users.info gives it; default 'Europe/London'. */
  tz?: string;
  enterprise_user?: SlackEnterpriseUserFixture;
}

export const TEST_TEAM_ID = 'T0TESTTEAM';
export const TEST_BOT_USER_ID = 'U0BOTUSER';
export const TEST_BOT_ID = 'B0BOT';
export const TEST_APP_ID = 'A0BILLING';

type UserBuilder = (
  id?: string,
  team?: string,
  overrides?: Partial<SlackUserFixture>,
) => SlackUserFixture;

const user =
  (
    defaultId: string,
    defaultName: string,
    realName: string,
    flags: Partial<SlackUserFixture>,
  ): UserBuilder =>
  (id = defaultId, team = TEST_TEAM_ID, overrides = {}) => ({
    id,
    name: defaultName,
    real_name: realName,
    team_id: team,
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    deleted: false,
    is_bot: false,
    ...flags,
    ...overrides,
  });

/** Builders of users in the documented users.info shape (Slack owners are admins too). */
export const slackUsers = {
  admin: user('U0ADMIN', 'ada.admin', 'Ada Admin', { is_admin: true }),
  owner: user('U0OWNER', 'otto.owner', 'Otto Owner', { is_admin: true, is_owner: true }),
  primaryOwner: user('U0PRIMARY', 'pia.primary', 'Pia Primary', {
    is_admin: true,
    is_owner: true,
    is_primary_owner: true,
  }),
  member: user('U0MEMBER', 'mo.member', 'Mo Member', {}),
  /** Multi-channel guest. */
  guest: user('U0GUEST', 'gus.guest', 'Gus Guest', { is_restricted: true }),
  /** Single-channel guest: Slack marks them both restricted and ultra-restricted. */
  singleChannelGuest: user('U0SCGUEST', 'sol.guest', 'Sol Guest', {
    is_restricted: true,
    is_ultra_restricted: true,
  }),
  deactivated: user('U0GONE', 'dee.gone', 'Dee Gone', { deleted: true }),
  bot: user('U0OTHERBOT', 'other-bot', 'Other Bot', { is_bot: true }),
};

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): SlackAnswer => ({
  status,
  headers,
  body,
});

function firstHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Form values holding a JSON object or array (how @slack/web-api flattens them) come back parsed. */
function maybeJson(value: string): unknown {
  const trimmed = value.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

function parseBody(
  raw: string,
  contentType: string,
  query: URLSearchParams,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of query) body[key] = maybeJson(value);
  if (raw === '') return body;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        Object.assign(body, parsed);
      } else {
        body._json = parsed;
      }
    } catch {
      body._raw = raw;
    }
    return body;
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    for (const [key, value] of new URLSearchParams(raw)) body[key] = maybeJson(value);
    return body;
  }
  body._raw = raw;
  return body;
}

function tokenOf(headers: IncomingHttpHeaders, body: Record<string, unknown>): string | null {
  const authorization = firstHeader(headers, 'authorization');
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  if (bearer) return bearer.trim();
  return typeof body.token === 'string' ? body.token : null;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const plainTextLength = (value: unknown): number =>
  isObject(value) && typeof value.text === 'string' ? value.text.length : 0;

/** The documented limits of modal and Home views; Slack answers `invalid_arguments` past them. */
function viewErrors(view: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const blocks = Array.isArray(view.blocks) ? view.blocks : null;
  if (blocks === null)
    errors.push('[ERROR] missing required field: blocks [json-pointer:/view/blocks]');
  else if (blocks.length > 100) {
    errors.push('[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]');
  }
  if (view.type === 'modal') {
    if (!isObject(view.title))
      errors.push('[ERROR] missing required field: title [json-pointer:/view/title]');
    for (const field of ['title', 'submit', 'close']) {
      if (plainTextLength(view[field]) > 24) {
        errors.push(`[ERROR] must be less than 25 characters [json-pointer:/view/${field}/text]`);
      }
    }
  } else if (view.type !== 'home') {
    errors.push('[ERROR] must be one of the allowed values: modal, home [json-pointer:/view/type]');
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) {
    errors.push('[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]');
  }
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255) {
    errors.push('[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]');
  }
  return errors;
}

const invalidArguments = (messages: string[]): SlackAnswer =>
  json({ ok: false, error: 'invalid_arguments', response_metadata: { messages } });

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: RecordedCall[] = [];
  const overrides = new Map<string, SlackAnswerHandler>();
  const failures: Array<{ method: string; failure: SlackAnswer; left: number }> = [];
  const users = new Map<string, SlackUserFixture>();
  const homeViewIds = new Map<string, string>();
  const waiters = new Set<{ check: () => boolean; fail: (error: Error) => void }>();
  let sequence = 0;
  const next = () => {
    sequence += 1;
    return sequence;
  };
  const newViewId = () => `V0VIEW${String(next()).padStart(4, '0')}`;
  const newHash = () => `${Math.floor(Date.now() / 1000)}.${String(next()).padStart(8, '0')}`;
  const newTs = () => `${Math.floor(Date.now() / 1000)}.${String(next()).padStart(6, '0')}`;

  const echoView = (
    view: Record<string, unknown>,
    id: string,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> => ({
    id,
    team_id: TEST_TEAM_ID,
    type: view.type,
    private_metadata: '',
    callback_id: '',
    external_id: '',
    state: { values: {} },
    clear_on_close: false,
    notify_on_close: false,
    close: null,
    submit: null,
    previous_view_id: null,
    root_view_id: id,
    app_id: TEST_APP_ID,
    app_installed_team_id: TEST_TEAM_ID,
    bot_id: TEST_BOT_ID,
    ...view,
    ...extra,
    hash: newHash(),
  });

  const defaultAnswer = (call: RecordedCall): SlackAnswer => {
    const { method, body } = call;
    if (method.startsWith('response_url:')) return json({ ok: true });
    switch (method) {
      case 'auth.test':
        return json({
          ok: true,
          url: 'https://billing-test.slack.com/',
          team: 'Billing Test',
          user: 'billing-bot',
          team_id: TEST_TEAM_ID,
          user_id: TEST_BOT_USER_ID,
          bot_id: TEST_BOT_ID,
          is_enterprise_install: false,
        });
      case 'users.info': {
        const fixture = typeof body.user === 'string' ? users.get(body.user) : undefined;
        if (fixture === undefined) return json({ ok: false, error: 'user_not_found' });
        const realName = fixture.real_name ?? fixture.name;
        const tz = fixture.tz ?? 'Europe/London';
        return json({
          ok: true,
          user: {
            color: '9f69e7',
            is_admin: false,
            is_owner: false,
            is_primary_owner: false,
            is_restricted: false,
            is_ultra_restricted: false,
            deleted: false,
            is_bot: false,
            is_app_user: false,
            tz,
            tz_label: tz === 'Europe/London' ? 'Greenwich Mean Time' : tz,
            tz_offset: 0,
            updated: 1700000000,
            ...fixture,
            real_name: realName,
            profile: {
              real_name: realName,
              real_name_normalized: realName,
              display_name: fixture.name,
              display_name_normalized: fixture.name,
              team: fixture.team_id,
            },
          },
        });
      }
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish': {
        const view = body.view;
        if (!isObject(view)) {
          return invalidArguments(['[ERROR] missing required field: view [json-pointer:/view]']);
        }
        const missing =
          (method === 'views.open' || method === 'views.push') &&
          typeof body.trigger_id !== 'string'
            ? ['[ERROR] missing required field: trigger_id']
            : method === 'views.publish' && typeof body.user_id !== 'string'
              ? ['[ERROR] missing required field: user_id']
              : [];
        const errors = [...missing, ...viewErrors(view)];
        if (errors.length > 0) return invalidArguments(errors);
        if (method === 'views.publish') {
          const userId = body.user_id as string;
          const id = homeViewIds.get(userId) ?? newViewId();
          homeViewIds.set(userId, id);
          return json({ ok: true, view: echoView(view, id) });
        }
        if (method === 'views.update') {
          const id = typeof body.view_id === 'string' ? body.view_id : newViewId();
          return json({ ok: true, view: echoView(view, id) });
        }
        return json({ ok: true, view: echoView(view, newViewId()) });
      }
      case 'chat.postMessage': {
        if (typeof body.channel !== 'string' || body.channel === '') {
          return json({ ok: false, error: 'channel_not_found' });
        }
        if (
          body.text === undefined &&
          body.blocks === undefined &&
          body.attachments === undefined
        ) {
          return json({ ok: false, error: 'no_text' });
        }
        const ts = newTs();
        return json({
          ok: true,
          channel: body.channel,
          ts,
          message: {
            type: 'message',
            text: body.text ?? '',
            user: TEST_BOT_USER_ID,
            bot_id: TEST_BOT_ID,
            app_id: TEST_APP_ID,
            team: TEST_TEAM_ID,
            ts,
            ...(body.blocks === undefined ? {} : { blocks: body.blocks }),
            ...(body.thread_ts === undefined ? {} : { thread_ts: body.thread_ts }),
          },
        });
      }
      case 'chat.postEphemeral':
        if (typeof body.channel !== 'string' || body.channel === '') {
          return json({ ok: false, error: 'channel_not_found' });
        }
        if (typeof body.user !== 'string' || body.user === '') {
          return json({ ok: false, error: 'user_not_in_channel' });
        }
        return json({ ok: true, message_ts: newTs() });
      case 'conversations.info': {
        const id = typeof body.channel === 'string' ? body.channel : '';
        if (id === '') return json({ ok: false, error: 'channel_not_found' });
        const isIm = id.startsWith('D');
        return json({
          ok: true,
          channel: {
            id,
            name: id === 'C0GENERAL' ? 'general' : id.toLowerCase(),
            is_channel: !isIm,
            is_group: false,
            is_im: isIm,
            is_mpim: false,
            is_private: isIm,
            is_archived: false,
            is_general: id === 'C0GENERAL',
            is_shared: false,
            is_ext_shared: false,
            is_org_shared: false,
            is_member: true,
            context_team_id: TEST_TEAM_ID,
            created: 1700000000,
            ...(isIm ? { user: TEST_BOT_USER_ID } : {}),
          },
        });
      }
      case 'apps.connections.open':
        return json({ ok: false, error: 'not_allowed' });
      default:
        return json({ ok: true });
    }
  };

  const send = (res: ServerResponse, answer: SlackAnswer) => {
    const payload =
      typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? null);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      ...answer.headers,
    };
    res.writeHead(answer.status ?? 200, headers);
    res.end(payload);
  };

  const server = createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const api = url.pathname.match(/^\/api\/([A-Za-z0-9._-]+)$/);
        const respond = url.pathname.match(/^\/respond\/([^/]+)$/);
        if (!api && !respond) {
          send(res, json({ ok: false, error: 'not_found' }, 404));
          req.resume();
          return;
        }
        const raw = await readBody(req);
        const body = parseBody(
          raw,
          firstHeader(req.headers, 'content-type') ?? '',
          url.searchParams,
        );
        const method = api
          ? (api[1] as string)
          : `response_url:${decodeURIComponent(respond?.[1] ?? '')}`;
        const call: RecordedCall = {
          method,
          body,
          token: tokenOf(req.headers, body),
          at: Date.now(),
        };
        calls.push(call);
        for (const waiter of waiters) waiter.check();
        const failure = failures.find((entry) => entry.method === method && entry.left > 0);
        if (failure) failure.left -= 1;
        const handler = overrides.get(method) ?? defaultAnswer;
        send(res, failure ? failure.failure : await handler(call));
      } catch (error) {
        if (!res.headersSent) {
          send(res, json({ ok: false, error: 'fake_slack_failure', detail: String(error) }, 500));
        } else {
          res.destroy();
        }
      }
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
  const origin = `http://127.0.0.1:${port}`;

  const callsTo = (method: string) => calls.filter((call) => call.method === method);

  return {
    apiUrl: `${origin}/api/`,
    responseUrl: (id = `R${next()}`) => `${origin}/respond/${encodeURIComponent(id)}`,
    calls,
    callsTo,
    users,
    waitFor(method, count = 1, timeoutMs = 10_000) {
      return new Promise<RecordedCall[]>((resolve, reject) => {
        const waiter = {
          check: () => {
            const seen = callsTo(method);
            if (seen.length < count) return false;
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(seen);
            return true;
          },
          fail: (error: Error) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          const seen = calls.map((call) => call.method).join(', ') || 'none';
          waiter.fail(
            new Error(
              `fake Slack: waited ${timeoutMs} ms for ${count} call(s) to ${method}, got ${callsTo(method).length}; calls seen: ${seen}`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
        waiter.check();
      });
    },
    answer(method, handler) {
      overrides.set(method, handler);
    },
    failNext(method, failure, times = 1) {
      failures.push({ method, failure, left: times });
    },
    reset() {
      calls.length = 0;
      overrides.clear();
      failures.length = 0;
      homeViewIds.clear();
    },
    close() {
      for (const waiter of waiters) waiter.fail(new Error('fake Slack closed while waiting'));
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
