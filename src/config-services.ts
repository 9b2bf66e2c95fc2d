// The settings of the outside services (Slack, Stripe, Discord), for config.ts. Each parser
// takes the raw environment, adds what is wrong to `problems`, and never shows a secret's value.
import { z } from 'zod';
import type { Config, Env } from './config.ts';

function parseUrlKey(key: string, value: string | undefined, problems: string[]): string | null {
  if (value === undefined) return null;
  if (z.url({ protocol: /^https?$/ }).safeParse(value).success) return value;
  problems.push(`${key}: "${value}" is not an http(s) URL.`);
  return null;
}

function requirePrefix(key: string, value: string, prefixes: string[], problems: string[]): void {
  if (prefixes.some((prefix) => value.startsWith(prefix))) return;
  problems.push(
    `${key}: expected a value starting with ${prefixes.join(' or ')}; check that the right ` +
      'token was copied (the value itself is not shown here).',
  );
}

export function parseSlack(env: Env, problems: string[]): Config['slack'] {
  const oauthKeys = [env.SLACK_CLIENT_ID, env.SLACK_CLIENT_SECRET, env.SLACK_STATE_SECRET];
  const anyOauth = oauthKeys.some((value) => value !== undefined);
  const apiUrl = parseUrlKey('SLACK_API_URL', env.SLACK_API_URL, problems);
  if (!env.SLACK_BOT_TOKEN && !anyOauth) {
    if (env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET) {
      problems.push('SLACK_BOT_TOKEN: required when other SLACK_ settings are set (xoxb-…).');
    }
    return null;
  }

  if (env.SLACK_BOT_TOKEN)
    requirePrefix('SLACK_BOT_TOKEN', env.SLACK_BOT_TOKEN, ['xoxb-'], problems);
  if (env.SLACK_APP_TOKEN)
    requirePrefix('SLACK_APP_TOKEN', env.SLACK_APP_TOKEN, ['xapp-'], problems);
  if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    problems.push(
      'SLACK_SIGNING_SECRET: required in HTTP mode; copy it from your Slack app\'s "Basic ' +
        'Information" page, or set SLACK_APP_TOKEN to use Socket Mode.',
    );
  }
  if (anyOauth && env.SLACK_BOT_TOKEN) {
    problems.push(
      'SLACK_BOT_TOKEN: leave it unset with OAuth installs (SLACK_CLIENT_ID…): each workspace ' +
        'gets its own token when it installs the app at /slack/install.',
    );
  }
  if (anyOauth && env.SLACK_APP_TOKEN) {
    problems.push(
      'SLACK_APP_TOKEN: OAuth installs need HTTP mode (Slack redirects browsers to ' +
        '/slack/oauth_redirect); unset SLACK_APP_TOKEN or the SLACK_CLIENT_* settings.',
    );
  }
  if (anyOauth && !env.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_SIGNING_SECRET: required with OAuth installs (Basic Information page).');
  }
  if (anyOauth && oauthKeys.some((value) => value === undefined)) {
    problems.push(
      'SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET: set all three for OAuth ' +
        'installs, or none of them for a single workspace.',
    );
  }

  const [clientId, clientSecret, stateSecret] = oauthKeys;
  return {
    botToken: env.SLACK_BOT_TOKEN ?? null,
    signingSecret: env.SLACK_SIGNING_SECRET ?? null,
    appToken: env.SLACK_APP_TOKEN ?? null,
    oauth: clientId && clientSecret && stateSecret ? { clientId, clientSecret, stateSecret } : null,
    apiUrl,
  };
}

export function parseStripe(env: Env, problems: string[]): Config['stripe'] {
  const apiBase = parseUrlKey('STRIPE_API_BASE', env.STRIPE_API_BASE, problems);
  if (!env.STRIPE_SECRET_KEY) {
    if (env.STRIPE_WEBHOOK_SECRET) {
      problems.push(
        'STRIPE_SECRET_KEY: required when STRIPE_WEBHOOK_SECRET is set (sk_… or rk_…).',
      );
    }
    return null;
  }
  requirePrefix('STRIPE_SECRET_KEY', env.STRIPE_SECRET_KEY, ['sk_', 'rk_'], problems);
  if (!env.STRIPE_WEBHOOK_SECRET) {
    problems.push(
      'STRIPE_WEBHOOK_SECRET: required with STRIPE_SECRET_KEY, so that payments are credited; ' +
        'copy the signing secret (whsec_…) of your webhook endpoint in the Stripe dashboard.',
    );
    return null;
  }
  requirePrefix('STRIPE_WEBHOOK_SECRET', env.STRIPE_WEBHOOK_SECRET, ['whsec_'], problems);
  return { secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET, apiBase };
}

export function parseDiscord(env: Env, problems: string[]): Config['discord'] {
  // discord.js appends the API version: `https://proxy.example/api/v10` and `…/api` are one base.
  const apiUrl =
    parseUrlKey('DISCORD_API_URL', env.DISCORD_API_URL, problems)?.replace(/\/v\d+\/?$/, '') ??
    null;
  if (!env.DISCORD_TOKEN && !env.DISCORD_APPLICATION_ID) return null;
  if (!env.DISCORD_TOKEN || !env.DISCORD_APPLICATION_ID) {
    problems.push(
      'DISCORD_TOKEN, DISCORD_APPLICATION_ID: set both (Discord developer portal: "Bot" → token, ' +
        '"General Information" → application id), or neither.',
    );
    return null;
  }
  if (!/^\d{17,20}$/.test(env.DISCORD_APPLICATION_ID)) {
    problems.push('DISCORD_APPLICATION_ID: expected the numeric application id (17 to 20 digits).');
  }
  const guildId = env.DISCORD_GUILD_ID ?? null;
  if (guildId !== null && !/^\d{17,20}$/.test(guildId)) {
    problems.push(
      'DISCORD_GUILD_ID: expected a server id (17 to 20 digits; Developer Mode → right-click ' +
        'the server → Copy Server ID), or leave it unset to register /billing globally.',
    );
  }
  return {
    token: env.DISCORD_TOKEN,
    applicationId: env.DISCORD_APPLICATION_ID,
    apiUrl,
    guildId,
  };
}
