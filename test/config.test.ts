import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

// The error of an environment that must be refused; fails the test when it is accepted.
function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

function problemsOf(env: Record<string, string>): string[] {
  return configErrorOf(env).problems;
}

// The key(s) a problem names: the text before its first ": ".
function namedKeys(problem: string): string {
  return problem.split(': ')[0] ?? '';
}

describe('loadConfig', () => {
  it('uses the documented defaults when the environment is empty', () => {
    const config = loadConfig({});

    expect(config).toEqual({
      database: { kind: 'pglite', dataDir: './data/pglite' },
      port: 3000,
      publicUrl: 'http://localhost:3000',
      slack: null,
      stripe: null,
      discord: null,
      currency: 'usd',
      topUp: { minMajor: '5', maxMajor: '10000' },
      alertCron: '*/5 * * * *',
      alertDefaultThresholdMajor: '10',
      usageApiToken: null,
      billingAdminIds: [],
      logLevel: 'info',
      console: { userId: 'local', userName: expect.any(String), role: 'admin' },
    });
  });

  it('treats blank values as unset', () => {
    const config = loadConfig({ PORT: '  ', BILLING_CURRENCY: '', SLACK_BOT_TOKEN: ' ' });

    expect(config.port).toBe(3000);
    expect(config.currency).toBe('usd');
    expect(config.slack).toBeNull();
  });

  it('builds the default public URL from the port and drops trailing slashes', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://billing.example.com/' }).publicUrl).toBe(
      'https://billing.example.com',
    );
  });

  it('reads case-insensitive currency, log level and console role in lower case', () => {
    const config = loadConfig({
      BILLING_CURRENCY: 'EUR',
      LOG_LEVEL: 'DEBUG',
      CONSOLE_ROLE: 'Member',
    });

    expect(config.currency).toBe('eur');
    expect(config.logLevel).toBe('debug');
    expect(config.console.role).toBe('member');
  });

  it.each([
    ['file:./x', { kind: 'pglite', dataDir: './x' }],
    ['file:///var/lib/billing-bot', { kind: 'pglite', dataDir: '/var/lib/billing-bot' }],
    ['memory:', { kind: 'pglite-memory' }],
    ['memory://', { kind: 'pglite-memory' }],
    [
      'postgresql://bot:pw@db.internal:5432/billing',
      { kind: 'postgres', url: 'postgresql://bot:pw@db.internal:5432/billing' },
    ],
    [
      'postgres://bot@localhost/billing',
      { kind: 'postgres', url: 'postgres://bot@localhost/billing' },
    ],
  ])('reads DATABASE_URL=%s as %j', (url, expectedDatabase) => {
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual(expectedDatabase);
  });

  it.each([['garbage'], ['file:'], ['mysql://bot@localhost/billing']])(
    'refuses DATABASE_URL=%s with one problem',
    (url) => {
      const problems = problemsOf({ DATABASE_URL: url });

      expect(problems).toHaveLength(1);
      expect(namedKeys(problems[0] ?? '')).toBe('DATABASE_URL');
    },
  );

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ BILLING_CURRENCY: 'xyz' }, 'BILLING_CURRENCY'],
    [{ TOPUP_MIN: '0' }, 'TOPUP_MIN'],
    [{ TOPUP_MIN: 'abc' }, 'TOPUP_MIN'],
    [{ TOPUP_MAX: '-5' }, 'TOPUP_MAX'],
    [{ TOPUP_MIN: '20', TOPUP_MAX: '10' }, 'TOPUP_MIN, TOPUP_MAX'],
    [{ TOPUP_MIN: '5.5', BILLING_CURRENCY: 'jpy' }, 'TOPUP_MIN'], // yen have no decimals
    [{ ALERT_CRON: 'nonsense' }, 'ALERT_CRON'],
    [{ ALERT_DEFAULT_THRESHOLD: '-1' }, 'ALERT_DEFAULT_THRESHOLD'],
    [{ ALERT_DEFAULT_THRESHOLD: '2.5', BILLING_CURRENCY: 'jpy' }, 'ALERT_DEFAULT_THRESHOLD'],
    [{ USAGE_API_TOKEN: 'short' }, 'USAGE_API_TOKEN'],
    [{ BILLING_ADMIN_IDS: 'bob' }, 'BILLING_ADMIN_IDS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ CONSOLE_ROLE: 'boss' }, 'CONSOLE_ROLE'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET'], // HTTP mode needs the secret
    [{ SLACK_BOT_TOKEN: 'abc', SLACK_SIGNING_SECRET: 'signing' }, 'SLACK_BOT_TOKEN'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'abc' }, 'SLACK_APP_TOKEN'],
    [{ SLACK_SIGNING_SECRET: 'signing' }, 'SLACK_BOT_TOKEN'],
    [
      { SLACK_SIGNING_SECRET: 'signing', SLACK_CLIENT_ID: '1.2' },
      'SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET',
    ],
    [
      {
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 'signing',
        SLACK_CLIENT_ID: '1.2',
        SLACK_CLIENT_SECRET: 'client-secret',
        SLACK_STATE_SECRET: 'state-secret',
      },
      'SLACK_BOT_TOKEN', // OAuth installs bring their own tokens
    ],
    [
      {
        SLACK_APP_TOKEN: 'xapp-1',
        SLACK_SIGNING_SECRET: 'signing',
        SLACK_CLIENT_ID: '1.2',
        SLACK_CLIENT_SECRET: 'client-secret',
        SLACK_STATE_SECRET: 'state-secret',
      },
      'SLACK_APP_TOKEN', // the OAuth redirect needs HTTP mode
    ],
    [{ SLACK_API_URL: 'not a url' }, 'SLACK_API_URL'],
    [{ STRIPE_SECRET_KEY: 'sk_test_1' }, 'STRIPE_WEBHOOK_SECRET'],
    [{ STRIPE_WEBHOOK_SECRET: 'whsec_1' }, 'STRIPE_SECRET_KEY'],
    [{ STRIPE_SECRET_KEY: 'pk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' }, 'STRIPE_SECRET_KEY'],
    [{ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'abc' }, 'STRIPE_WEBHOOK_SECRET'],
    [{ DISCORD_TOKEN: 'discord-token' }, 'DISCORD_TOKEN, DISCORD_APPLICATION_ID'],
    [{ DISCORD_APPLICATION_ID: '123456789012345678' }, 'DISCORD_TOKEN, DISCORD_APPLICATION_ID'],
    [{ DISCORD_TOKEN: 'discord-token', DISCORD_APPLICATION_ID: 'abc' }, 'DISCORD_APPLICATION_ID'],
    [
      {
        DISCORD_TOKEN: 'discord-token',
        DISCORD_APPLICATION_ID: '123456789012345678',
        DISCORD_GUILD_ID: 'x',
      },
      'DISCORD_GUILD_ID',
    ],
  ])('refuses %j with one problem naming %s', (env, expectedKeys) => {
    const problems = problemsOf(env);

    expect(problems).toHaveLength(1);
    expect(namedKeys(problems[0] ?? '')).toBe(expectedKeys);
  });

  it('reports every bad key together in one ConfigError', () => {
    const env = {
      PORT: 'abc',
      DATABASE_URL: 'garbage',
      TOPUP_MIN: '0',
      LOG_LEVEL: 'loud',
      BILLING_ADMIN_IDS: 'bob',
    };

    const { problems, message } = configErrorOf(env);

    expect(problems.map(namedKeys).sort()).toEqual([
      'BILLING_ADMIN_IDS',
      'DATABASE_URL',
      'LOG_LEVEL',
      'PORT',
      'TOPUP_MIN',
    ]);
    for (const problem of problems) expect(message).toContain(problem);
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'not-a-token-SECRET123', SLACK_SIGNING_SECRET: 'signing' }],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'not-a-token-SECRET123' }],
    [{ STRIPE_SECRET_KEY: 'not-a-key-SECRET123', STRIPE_WEBHOOK_SECRET: 'whsec_1' }],
    [{ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'not-a-secret-SECRET123' }],
    [{ USAGE_API_TOKEN: 'SECRET123' }],
    [{ DATABASE_URL: 'mysql://bot:SECRET123@localhost/billing' }],
    [{ DISCORD_TOKEN: 'SECRET123' }],
  ])('never shows the secret value of %j', (env) => {
    const { problems, message } = configErrorOf(env);

    expect(problems.length).toBeGreaterThan(0);
    expect(message).not.toContain('SECRET123');
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({ BILLING_ADMIN_IDS: 'slack:U1' });

    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.topUp)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(Object.isFrozen(config.billingAdminIds)).toBe(true);
    expect(Object.isFrozen(config.console)).toBe(true);
    // ES modules run in strict mode, where writing to a frozen property throws.
    expect(() => {
      (config.topUp as { minMajor: string }).minMajor = '1';
    }).toThrow(TypeError);
    expect(config.topUp.minMajor).toBe('5');
  });

  it('parses a Slack app in HTTP mode', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'signing' });

    expect(config.slack).toEqual({
      botToken: 'xoxb-1-2-abc',
      signingSecret: 'signing',
      appToken: null,
      oauth: null,
      apiUrl: null,
    });
  });

  it('parses a Slack app in Socket Mode, which needs no signing secret', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_APP_TOKEN: 'xapp-1-A1-abc',
      SLACK_API_URL: 'http://localhost:9001/api/',
    });

    expect(config.slack).toEqual({
      botToken: 'xoxb-1-2-abc',
      signingSecret: null,
      appToken: 'xapp-1-A1-abc',
      oauth: null,
      apiUrl: 'http://localhost:9001/api/',
    });
  });

  it('parses a Slack app with OAuth installs, which needs no bot token', () => {
    const config = loadConfig({
      SLACK_SIGNING_SECRET: 'signing',
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: 'client-secret',
      SLACK_STATE_SECRET: 'state-secret',
    });

    expect(config.slack).toEqual({
      botToken: null,
      signingSecret: 'signing',
      appToken: null,
      oauth: { clientId: '123.456', clientSecret: 'client-secret', stateSecret: 'state-secret' },
      apiUrl: null,
    });
  });

  it('parses a Stripe account', () => {
    const config = loadConfig({
      STRIPE_SECRET_KEY: 'sk_test_abc',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc',
      STRIPE_API_BASE: 'http://localhost:12111',
    });

    expect(config.stripe).toEqual({
      secretKey: 'sk_test_abc',
      webhookSecret: 'whsec_abc',
      apiBase: 'http://localhost:12111',
    });
  });

  it('accepts a restricted Stripe key', () => {
    const config = loadConfig({
      STRIPE_SECRET_KEY: 'rk_live_abc',
      STRIPE_WEBHOOK_SECRET: 'whsec_1',
    });

    expect(config.stripe).toEqual({
      secretKey: 'rk_live_abc',
      webhookSecret: 'whsec_1',
      apiBase: null,
    });
  });

  it('parses a Discord application', () => {
    const config = loadConfig({
      DISCORD_TOKEN: 'discord-bot-token',
      DISCORD_APPLICATION_ID: '123456789012345678',
      DISCORD_API_URL: 'http://localhost:9002/api/v10',
      DISCORD_GUILD_ID: '876543210987654321',
    });

    expect(config.discord).toEqual({
      token: 'discord-bot-token',
      applicationId: '123456789012345678',
      // discord.js appends the API version itself.
      apiUrl: 'http://localhost:9002/api',
      guildId: '876543210987654321',
    });
  });

  it('reads BILLING_ADMIN_IDS into a clean list, ignoring spaces and empty items', () => {
    const config = loadConfig({
      BILLING_ADMIN_IDS: ' slack:U0123ABCD , ,discord:123456789012345678,, console:local ',
    });

    expect(config.billingAdminIds).toEqual([
      'slack:U0123ABCD',
      'discord:123456789012345678',
      'console:local',
    ]);
  });
});
