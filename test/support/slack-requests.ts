// Requests as Slack sends them to our endpoint, in the documented shapes, signed for real with the
// signing secret so that Bolt's own receiver verifies them. Ids are made up: team T0TESTTEAM, app
// A0BILLING, channel C0GENERAL, org E0TESTORG.
import { createHmac, randomBytes } from 'node:crypto';

export type SlackRequest = { kind: 'form'; body: string } | { kind: 'json'; body: string };

export const DEFAULT_TEAM_ID = 'T0TESTTEAM';
export const DEFAULT_TEAM_DOMAIN = 'billing-test';
export const DEFAULT_APP_ID = 'A0BILLING';
export const DEFAULT_CHANNEL_ID = 'C0GENERAL';
export const DEFAULT_CHANNEL_NAME = 'general';
export const DEFAULT_ENTERPRISE_NAME = 'Test Org';
export const DEFAULT_BOT_USER_ID = 'U0BOTUSER';
export const DEFAULT_BOT_ID = 'B0BOT';
/** Slack still sends the deprecated verification token; nothing should rely on it. */
const VERIFICATION_TOKEN = 'deprecated-verification-token';
/**
 * Used when a builder is not given a response_url: a loopback port nothing listens on, so a
 * stray `respond()` fails fast instead of leaving the machine. Pass `fake.responseUrl()` instead.
 */
export const UNREACHABLE_RESPONSE_URL = 'http://127.0.0.1:1/no-response-url-given';

let counter = 0;
const nextCounter = () => {
  counter += 1;
  return counter;
};
const nowSeconds = () => Math.floor(Date.now() / 1000);
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** A trigger_id in Slack's shape: `<digits>.<digits>.<32 hex>`. */
export function newTriggerId(): string {
  return `${nowSeconds()}${String(nextCounter()).padStart(3, '0')}.${nowSeconds()}.${hex(16)}`;
}

/** An action_ts / event_ts in Slack's shape: `<seconds>.<6 digits>`. */
function newTs(): string {
  return `${nowSeconds()}.${String(nextCounter()).padStart(6, '0')}`;
}

/** Slack's v0 signature: x-slack-signature = 'v0=' + hex HMAC-SHA256(secret, `v0:${timestamp}:${rawBody}`), x-slack-request-timestamp in seconds */
export function signSlackRequest(
  rawBody: string,
  signingSecret: string,
  timestampSeconds: number = nowSeconds(),
): Record<string, string> {
  const digest = createHmac('sha256', signingSecret)
    .update(`v0:${timestampSeconds}:${rawBody}`)
    .digest('hex');
  return {
    'x-slack-signature': `v0=${digest}`,
    'x-slack-request-timestamp': String(timestampSeconds),
  };
}

export interface PostOptions {
  signingSecret: string;
  /** Request timestamp in seconds; default now. Bolt refuses timestamps over 5 minutes old. */
  timestamp?: number;
  /** Extra headers, e.g. `x-slack-retry-num` / `x-slack-retry-reason`. */
  headers?: Record<string, string>;
  /** Sign with a different secret, as a forger would. */
  forgeSignature?: boolean;
  /** Defaults to Bolt's `/slack/events`. */
  path?: string;
}

export interface SlackEndpointResponse {
  status: number;
  body: string;
  headers: Headers;
}

/**
 * POSTs to `${baseUrl}/slack/events` with the right content type and a real signature; returns
 * status, headers and body text. The content type is exactly `application/x-www-form-urlencoded`
 * or `application/json`, as Slack sends it: Bolt compares it verbatim.
 */
export async function postToSlackEndpoint(
  baseUrl: string,
  request: SlackRequest,
  options: PostOptions,
): Promise<SlackEndpointResponse> {
  const secret = options.forgeSignature
    ? `forged-${options.signingSecret}-${hex(4)}`
    : options.signingSecret;
  const contentType =
    request.kind === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
  const url = `${baseUrl.replace(/\/+$/, '')}${options.path ?? '/slack/events'}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signSlackRequest(request.body, secret, options.timestamp),
      ...options.headers,
    },
    body: request.body,
  });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

const form = (fields: Record<string, string | undefined>): SlackRequest => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) params.append(key, value);
  }
  return { kind: 'form', body: params.toString() };
};

/** Interactivity payloads arrive as a form with one field, `payload`, holding the JSON. */
const interactive = (payload: Record<string, unknown>): SlackRequest =>
  form({ payload: JSON.stringify(payload) });

export interface SlashCommandFields {
  token: string;
  text: string;
  user_id: string;
  user_name: string;
  team_id: string;
  team_domain: string;
  enterprise_id: string;
  enterprise_name: string;
  is_enterprise_install: 'true' | 'false';
  channel_id: string;
  channel_name: string;
  response_url: string;
  trigger_id: string;
  command: string;
  api_app_id: string;
}

/** A slash command invocation, form-encoded in the order Slack sends the fields. */
export function slashCommand(fields: Partial<SlashCommandFields> = {}): SlackRequest {
  return form({
    token: fields.token ?? VERIFICATION_TOKEN,
    team_id: fields.team_id ?? DEFAULT_TEAM_ID,
    team_domain: fields.team_domain ?? DEFAULT_TEAM_DOMAIN,
    enterprise_id: fields.enterprise_id,
    enterprise_name:
      fields.enterprise_name ??
      (fields.enterprise_id === undefined ? undefined : DEFAULT_ENTERPRISE_NAME),
    channel_id: fields.channel_id ?? DEFAULT_CHANNEL_ID,
    channel_name: fields.channel_name ?? DEFAULT_CHANNEL_NAME,
    user_id: fields.user_id ?? 'U0MEMBER',
    user_name: fields.user_name ?? 'mo.member',
    command: fields.command ?? '/billing',
    text: fields.text ?? '',
    api_app_id: fields.api_app_id ?? DEFAULT_APP_ID,
    is_enterprise_install: fields.is_enterprise_install ?? 'false',
    response_url: fields.response_url ?? UNREACHABLE_RESPONSE_URL,
    trigger_id: fields.trigger_id ?? newTriggerId(),
  });
}

export interface SlackWorkspaceOptions {
  /** The workspace; null for an org-wide (Enterprise Grid) install, where Slack sends `team: null`. */
  teamId?: string | null;
  /** The Enterprise Grid org; null or absent outside Grid. */
  enterpriseId?: string | null;
  enterpriseName?: string;
  /** Default: true when teamId is null and an enterpriseId is given. */
  isEnterpriseInstall?: boolean;
  /** The user's own workspace (`user.team_id`); default teamId, else T0TESTTEAM. */
  userTeamId?: string;
  apiAppId?: string;
}

function workspaceFields(opts: SlackWorkspaceOptions, userId: string, userName: string) {
  const teamId = opts.teamId === undefined ? DEFAULT_TEAM_ID : opts.teamId;
  const enterpriseId = opts.enterpriseId ?? null;
  const enterpriseName = opts.enterpriseName ?? DEFAULT_ENTERPRISE_NAME;
  const isEnterpriseInstall =
    opts.isEnterpriseInstall ?? (teamId === null && enterpriseId !== null);
  return {
    team:
      teamId === null
        ? null
        : {
            id: teamId,
            domain: DEFAULT_TEAM_DOMAIN,
            ...(enterpriseId === null
              ? {}
              : { enterprise_id: enterpriseId, enterprise_name: enterpriseName }),
          },
    user: {
      id: userId,
      username: userName,
      name: userName,
      team_id: opts.userTeamId ?? teamId ?? DEFAULT_TEAM_ID,
    },
    api_app_id: opts.apiAppId ?? DEFAULT_APP_ID,
    token: VERIFICATION_TOKEN,
    is_enterprise_install: isEnterpriseInstall,
    enterprise: enterpriseId === null ? null : { id: enterpriseId, name: enterpriseName },
  };
}

export interface BlockActionOptions extends SlackWorkspaceOptions {
  actionId: string;
  value?: string;
  userId: string;
  userName?: string;
  blockId?: string;
  /** Element type; default 'button'. */
  actionType?: string;
  /** For select menus: the chosen option (then `value` is not sent). */
  selectedOption?: { text: { type: 'plain_text'; text: string }; value: string };
  triggerId?: string;
  /** The message's response_url; null to leave it out. Views carry none. */
  responseUrl?: string | null;
  container?: 'message' | 'view';
  channelId?: string;
  /** For a message container: the message's ts. */
  messageTs?: string;
  /** For a view container: the view the action happened in (id, callback_id, private_metadata…). */
  view?: object;
}

/** A block_actions interaction payload, form-encoded as `payload=<json>`. */
export function blockAction(opts: BlockActionOptions): SlackRequest {
  const container = opts.container ?? 'message';
  const channelId = opts.channelId ?? DEFAULT_CHANNEL_ID;
  const messageTs = opts.messageTs ?? newTs();
  const blockId = opts.blockId ?? 'billing_actions';
  const actionType = opts.actionType ?? 'button';
  const action: Record<string, unknown> = {
    action_id: opts.actionId,
    block_id: blockId,
    type: actionType,
    action_ts: newTs(),
  };
  if (actionType === 'button')
    action.text = { type: 'plain_text', text: opts.actionId, emoji: true };
  if (opts.selectedOption !== undefined) action.selected_option = opts.selectedOption;
  else if (opts.value !== undefined) action.value = opts.value;

  const base = workspaceFields(opts, opts.userId, opts.userName ?? opts.userId.toLowerCase());
  const view = {
    id: 'V0VIEW0001',
    team_id: base.team?.id ?? base.user.team_id,
    type: 'modal',
    blocks: [],
    private_metadata: '',
    callback_id: '',
    state: { values: {} },
    hash: `${nowSeconds()}.${hex(4)}`,
    title: { type: 'plain_text', text: 'Billing', emoji: true },
    clear_on_close: false,
    notify_on_close: false,
    close: null,
    submit: null,
    previous_view_id: null,
    root_view_id: 'V0VIEW0001',
    app_id: base.api_app_id,
    external_id: '',
    app_installed_team_id: base.team?.id ?? base.user.team_id,
    bot_id: DEFAULT_BOT_ID,
    ...opts.view,
  };
  const responseUrl =
    opts.responseUrl === undefined
      ? container === 'message'
        ? UNREACHABLE_RESPONSE_URL
        : null
      : opts.responseUrl;

  return interactive({
    type: 'block_actions',
    user: base.user,
    api_app_id: base.api_app_id,
    token: base.token,
    container:
      container === 'message'
        ? { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false }
        : { type: 'view', view_id: view.id },
    trigger_id: opts.triggerId ?? newTriggerId(),
    team: base.team,
    enterprise: base.enterprise,
    is_enterprise_install: base.is_enterprise_install,
    ...(container === 'message'
      ? {
          channel: {
            id: channelId,
            name: channelId === DEFAULT_CHANNEL_ID ? 'general' : channelId,
          },
          message: {
            type: 'message',
            text: 'Billing',
            ts: messageTs,
            user: DEFAULT_BOT_USER_ID,
            bot_id: DEFAULT_BOT_ID,
            app_id: base.api_app_id,
            team: base.team?.id ?? base.user.team_id,
            blocks: [],
          },
          state: { values: {} },
        }
      : { view }),
    ...(responseUrl === null ? {} : { response_url: responseUrl }),
    actions: [action],
  });
}

export type ViewStateValue = {
  type: string;
  value?: string | null;
  selected_option?: { text: { type: 'plain_text'; text: string }; value: string } | null;
};

export interface ViewSubmissionOptions extends SlackWorkspaceOptions {
  callbackId: string;
  userId: string;
  userName?: string;
  viewId?: string;
  hash?: string;
  privateMetadata?: string;
  triggerId?: string;
  /** The view's blocks as opened; default none. */
  blocks?: object[];
  /** view.state.values: block_id → action_id → the element's state. */
  values: Record<string, Record<string, ViewStateValue>>;
  /** For views opened with response_url_enabled inputs. */
  responseUrls?: {
    block_id: string;
    action_id: string;
    channel_id: string;
    response_url: string;
  }[];
}

/** A view_submission interaction payload, form-encoded as `payload=<json>`. */
export function viewSubmission(opts: ViewSubmissionOptions): SlackRequest {
  const base = workspaceFields(opts, opts.userId, opts.userName ?? opts.userId.toLowerCase());
  const viewId = opts.viewId ?? 'V0VIEW0001';
  return interactive({
    type: 'view_submission',
    team: base.team,
    user: base.user,
    api_app_id: base.api_app_id,
    token: base.token,
    trigger_id: opts.triggerId ?? newTriggerId(),
    view: {
      id: viewId,
      team_id: base.team?.id ?? base.user.team_id,
      type: 'modal',
      blocks: opts.blocks ?? [],
      private_metadata: opts.privateMetadata ?? '',
      callback_id: opts.callbackId,
      state: { values: opts.values },
      hash: opts.hash ?? `${nowSeconds()}.${hex(4)}`,
      title: { type: 'plain_text', text: 'Billing', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: 'Cancel', emoji: true },
      submit: { type: 'plain_text', text: 'Save', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: base.api_app_id,
      external_id: '',
      app_installed_team_id: base.team?.id ?? base.user.team_id,
      bot_id: DEFAULT_BOT_ID,
    },
    response_urls: opts.responseUrls ?? [],
    is_enterprise_install: base.is_enterprise_install,
    enterprise: base.enterprise,
  });
}

export interface EventCallbackOptions {
  /** The envelope's team_id; null for org-level events. Default T0TESTTEAM. */
  teamId?: string | null;
  enterpriseId?: string | null;
  /** Org-wide install: the authorization carries is_enterprise_install true. */
  isEnterpriseInstall?: boolean;
  eventId?: string;
  eventTime?: number;
  apiAppId?: string;
  /** Default: one bot authorization for this team/org, as Slack sends it. */
  authorizations?: object[];
}

/** The Events API `event_callback` envelope around `event`. */
export function eventCallback(
  event: Record<string, unknown>,
  opts: EventCallbackOptions = {},
): SlackRequest {
  const n = nextCounter();
  const teamId = opts.teamId === undefined ? DEFAULT_TEAM_ID : opts.teamId;
  const enterpriseId = opts.enterpriseId ?? null;
  const isEnterpriseInstall = opts.isEnterpriseInstall ?? false;
  const eventTime = opts.eventTime ?? nowSeconds();
  return {
    kind: 'json',
    body: JSON.stringify({
      token: VERIFICATION_TOKEN,
      team_id: teamId,
      ...(enterpriseId === null ? {} : { enterprise_id: enterpriseId }),
      api_app_id: opts.apiAppId ?? DEFAULT_APP_ID,
      event,
      type: 'event_callback',
      event_id: opts.eventId ?? `Ev0TEST${String(n).padStart(5, '0')}`,
      event_time: eventTime,
      authorizations: opts.authorizations ?? [
        {
          enterprise_id: enterpriseId,
          team_id: teamId,
          user_id: DEFAULT_BOT_USER_ID,
          is_bot: true,
          is_enterprise_install: isEnterpriseInstall,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${hex(12)}`,
    }),
  };
}

export interface AppHomeOpenedOptions extends EventCallbackOptions {
  tab?: 'home' | 'messages';
  /** The user's DM channel with the app. */
  channel?: string;
  /** The Home view as last published, if any. */
  view?: object;
}

/** `app_home_opened`, sent each time a user opens the app's Home (or Messages) tab. */
export function appHomeOpened(userId: string, opts: AppHomeOpenedOptions = {}): SlackRequest {
  const { tab = 'home', channel = 'D0BILLINGDM', view, ...envelope } = opts;
  return eventCallback(
    {
      type: 'app_home_opened',
      user: userId,
      channel,
      tab,
      event_ts: newTs(),
      ...(view === undefined ? {} : { view }),
    },
    envelope,
  );
}

/** `app_uninstalled`: the event carries nothing but its type; the envelope says which team. */
export function appUninstalled(opts: EventCallbackOptions = {}): SlackRequest {
  return eventCallback({ type: 'app_uninstalled' }, opts);
}

/** `tokens_revoked`: user ids per token kind (`oauth` user tokens, `bot` tokens), not tokens. */
export function tokensRevoked(
  tokens: { oauth?: string[]; bot?: string[] },
  opts: EventCallbackOptions = {},
): SlackRequest {
  return eventCallback({ type: 'tokens_revoked', tokens }, opts);
}

/** Slack's handshake when the Request URL is configured; Bolt answers `{challenge}`. */
export function urlVerification(challenge: string): SlackRequest {
  return {
    kind: 'json',
    body: JSON.stringify({ token: VERIFICATION_TOKEN, challenge, type: 'url_verification' }),
  };
}
