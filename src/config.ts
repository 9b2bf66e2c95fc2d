// The whole environment of the bot, parsed once at start-up. Nothing else reads process.env.
import { hostname, userInfo } from 'node:os';
import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import { isKnownCurrency, majorToMinor, minorDigits } from './billing/money.ts';
import { parseDiscord, parseSlack, parseStripe } from './config-services.ts';

/** Where the bot keeps its data: the embedded PGlite directory, in memory, or PostgreSQL. */
export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory' }
  | { kind: 'postgres'; url: string };

/** A user id qualified by its platform, as written in `BILLING_ADMIN_IDS` (`slack:U0123`). */
export type QualifiedUserId = `${'slack' | 'discord' | 'console'}:${string}`;

/** The parsed, frozen configuration. Amounts are major-unit decimal strings of `currency`. */
export interface Config {
  readonly database: DatabaseConfig;
  readonly port: number;
  readonly publicUrl: string;
  readonly slack: {
    readonly botToken: string | null;
    readonly signingSecret: string | null;
    readonly appToken: string | null;
    readonly oauth: { clientId: string; clientSecret: string; stateSecret: string } | null;
    readonly apiUrl: string | null;
  } | null;
  readonly stripe: { secretKey: string; webhookSecret: string; apiBase: string | null } | null;
  readonly discord: {
    readonly token: string;
    readonly applicationId: string;
    readonly apiUrl: string | null;
    /** Registers `/billing` in this server only (at once, for development); null: globally. */
    readonly guildId: string | null;
  } | null;
  /** ISO 4217 code, lower case. */
  readonly currency: string;
  readonly topUp: { readonly minMajor: string; readonly maxMajor: string };
  readonly alertCron: string;
  /** The alert threshold of accounts with no threshold set and no top-up yet, in major units. */
  readonly alertDefaultThresholdMajor: string;
  readonly usageApiToken: string | null;
  readonly billingAdminIds: readonly QualifiedUserId[];
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Who types in the console adapter, and whether the bot treats them as a billing admin. */
  readonly console: { userId: string; userName: string; role: 'admin' | 'member' };
}

/** Thrown when the environment is invalid; `problems` lists every bad key with what to fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const envSchema = z.object({
  DATABASE_URL: optionalText,
  PORT: optionalText,
  PUBLIC_URL: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_STATE_SECRET: optionalText,
  SLACK_API_URL: optionalText,
  STRIPE_SECRET_KEY: optionalText,
  STRIPE_WEBHOOK_SECRET: optionalText,
  STRIPE_API_BASE: optionalText,
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText,
  DISCORD_API_URL: optionalText,
  DISCORD_GUILD_ID: optionalText,
  BILLING_CURRENCY: optionalText,
  TOPUP_MIN: optionalText,
  TOPUP_MAX: optionalText,
  ALERT_CRON: optionalText,
  ALERT_DEFAULT_THRESHOLD: optionalText,
  USAGE_API_TOKEN: optionalText,
  BILLING_ADMIN_IDS: optionalText,
  LOG_LEVEL: optionalText,
  CONSOLE_USER_ID: optionalText,
  CONSOLE_USER_NAME: optionalText,
  CONSOLE_ROLE: optionalText,
});

/** The raw environment: each known key trimmed, blanks as undefined. */
export type Env = z.infer<typeof envSchema>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Parses the environment. Every problem is collected before anything throws, so an operator
 * fixes the whole file in one pass.
 * @throws {ConfigError} listing each invalid key, its problem and the fix.
 */
export function loadConfig(rawEnv: NodeJS.ProcessEnv = process.env): Config {
  const env: Env = envSchema.parse(rawEnv);
  const problems: string[] = [];

  const port = parsePort(env.PORT, problems);
  const currency = parseCurrency(env.BILLING_CURRENCY, problems);
  const config: Config = {
    database: parseDatabase(env.DATABASE_URL, problems),
    port,
    publicUrl: parsePublicUrl(env.PUBLIC_URL, port, problems),
    slack: parseSlack(env, problems),
    stripe: parseStripe(env, problems),
    discord: parseDiscord(env, problems),
    currency,
    topUp: parseTopUpLimits(env, currency, problems),
    alertCron: parseCron(env.ALERT_CRON, problems),
    alertDefaultThresholdMajor: parseDefaultThreshold(
      env.ALERT_DEFAULT_THRESHOLD,
      currency,
      problems,
    ),
    usageApiToken: parseUsageToken(env.USAGE_API_TOKEN, problems),
    billingAdminIds: parseAdminIds(env.BILLING_ADMIN_IDS, problems),
    logLevel: parseLogLevel(env.LOG_LEVEL, problems),
    console: parseConsoleUser(env, problems),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

function parseDatabase(url: string | undefined, problems: string[]): DatabaseConfig {
  if (url === undefined) return { kind: 'pglite', dataDir: './data/pglite' };
  if (url === 'memory:' || url === 'memory://') return { kind: 'pglite-memory' };
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  if (url.startsWith('file:') && url.length > 'file:'.length) {
    return { kind: 'pglite', dataDir: url.slice('file:'.length).replace(/^\/\/(?=\/)/, '') };
  }
  problems.push(
    'DATABASE_URL: not understood. Use file:./data/pglite for the embedded database, ' +
      'memory: for a throw-away one, or postgresql://user@host:5432/dbname for PostgreSQL.',
  );
  return { kind: 'pglite-memory' };
}

function parsePort(value: string | undefined, problems: string[]): number {
  if (value === undefined) return 3000;
  const port = Number(value);
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port;
  problems.push(
    `PORT: "${value}" is not a port number. Use a whole number from 1 to 65535 ` +
      '(0 picks a free port).',
  );
  return 3000;
}

function parsePublicUrl(value: string | undefined, port: number, problems: string[]): string {
  const url = value ?? `http://localhost:${port}`;
  if (z.url({ protocol: /^https?$/ }).safeParse(url).success) return url.replace(/\/+$/, '');
  problems.push(`PUBLIC_URL: "${value}" is not an http(s) URL, e.g. https://billing.example.com.`);
  return url;
}

function parseCurrency(value: string | undefined, problems: string[]): string {
  const currency = (value ?? 'usd').toLowerCase();
  if (isKnownCurrency(currency)) return currency;
  problems.push(
    `BILLING_CURRENCY: "${value}" is not an ISO 4217 currency code (e.g. usd, eur, jpy).`,
  );
  return 'usd';
}

function parseTopUpLimits(env: Env, currency: string, problems: string[]): Config['topUp'] {
  const minMajor = env.TOPUP_MIN ?? '5';
  const maxMajor = env.TOPUP_MAX ?? '10000';
  const minMinor = parseLimit('TOPUP_MIN', minMajor, currency, problems);
  const maxMinor = parseLimit('TOPUP_MAX', maxMajor, currency, problems);
  if (minMinor !== null && maxMinor !== null && minMinor > maxMinor) {
    problems.push(
      `TOPUP_MIN, TOPUP_MAX: the minimum (${minMajor}) is above the maximum (${maxMajor}).`,
    );
  }
  return { minMajor, maxMajor };
}

function parseLimit(key: string, value: string, currency: string, problems: string[]) {
  try {
    const minor = majorToMinor(value, currency);
    if (minor > 0n) return minor;
  } catch {
    // reported below
  }
  const digits = minorDigits(currency);
  const shape = digits === 0 ? 'a whole number' : `a number with at most ${digits} decimals`;
  problems.push(`${key}: "${value}" must be ${shape} above zero, in ${currency.toUpperCase()}.`);
  return null;
}

function parseDefaultThreshold(value: string | undefined, currency: string, problems: string[]) {
  const major = value ?? '10';
  parseLimit('ALERT_DEFAULT_THRESHOLD', major, currency, problems);
  return major;
}

function parseCron(value: string | undefined, problems: string[]): string {
  const cron = value ?? '*/5 * * * *';
  if (isValidCron(cron)) return cron;
  problems.push(
    `ALERT_CRON: "${value}" is not a cron expression. Use five fields (minute hour day month ` +
      'weekday), or six with seconds first, e.g. */5 * * * *.',
  );
  return '*/5 * * * *';
}

function parseUsageToken(value: string | undefined, problems: string[]): string | null {
  if (value === undefined) return null;
  if (value.length >= 32) return value;
  problems.push(
    'USAGE_API_TOKEN: too short; use at least 32 random characters (openssl rand -hex 32).',
  );
  return null;
}

function parseAdminIds(value: string | undefined, problems: string[]): QualifiedUserId[] {
  const ids = (value ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const valid: QualifiedUserId[] = [];
  for (const id of ids) {
    if (/^(slack|discord|console):[A-Za-z0-9._-]{1,64}$/.test(id))
      valid.push(id as QualifiedUserId);
    else {
      problems.push(
        `BILLING_ADMIN_IDS: "${id}" should be a platform and a user id, e.g. slack:U0123ABCD ` +
          'or discord:123456789012345678, separated by commas.',
      );
    }
  }
  return valid;
}

function parseLogLevel(value: string | undefined, problems: string[]): Config['logLevel'] {
  const level = (value ?? 'info').toLowerCase();
  const known = LOG_LEVELS.find((candidate) => candidate === level);
  if (known) return known;
  problems.push(`LOG_LEVEL: "${value}" is not one of ${LOG_LEVELS.join(', ')}.`);
  return 'info';
}

function parseConsoleUser(env: Env, problems: string[]): Config['console'] {
  const role = (env.CONSOLE_ROLE ?? 'admin').toLowerCase();
  if (role !== 'admin' && role !== 'member') {
    problems.push(`CONSOLE_ROLE: "${env.CONSOLE_ROLE}" must be admin or member.`);
  }
  const userName = env.CONSOLE_USER_NAME ?? safeUserName();
  return {
    userId: env.CONSOLE_USER_ID ?? 'local',
    userName,
    role: role === 'member' ? 'member' : 'admin',
  };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return `user@${hostname()}`;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
