// manifest.yml is what operators paste into Slack to create the app: it has to ask for what the
// code uses and point Slack at the routes the code serves.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SUBCOMMANDS } from '../src/commands/grammar.ts';
import { SLACK_BOT_SCOPES } from '../src/slack/slack-app.ts';

interface SlackManifest {
  features: {
    app_home: { home_tab_enabled: boolean };
    slash_commands: { command: string; url: string; usage_hint: string }[];
  };
  oauth_config: { redirect_urls: string[]; scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
  };
}

const manifest = parse(
  readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8'),
) as SlackManifest;

describe('manifest.yml', () => {
  it('asks for exactly the bot scopes the code uses', () => {
    const scopes = manifest.oauth_config.scopes.bot;

    expect(new Set(scopes).size).toBe(scopes.length);
    expect([...scopes].sort()).toEqual([...SLACK_BOT_SCOPES].sort());
  });

  it('declares /billing with a usage hint naming every subcommand', () => {
    const [billing, ...others] = manifest.features.slash_commands;

    expect(others).toEqual([]);
    expect(billing?.command).toBe('/billing');
    for (const subcommand of SUBCOMMANDS) {
      expect(billing?.usage_hint).toMatch(new RegExp(`\\b${subcommand.name}\\b`));
    }
  });

  it('subscribes to exactly the events the bot handles', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([
      'app_home_opened',
      'app_uninstalled',
      'tokens_revoked',
    ]);
  });

  it('enables interactivity and the Home tab', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it('sends every request to /slack/events and OAuth back to /slack/oauth_redirect', () => {
    const requestUrls = [
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      ...manifest.features.slash_commands.map((command) => command.url),
    ];

    for (const url of requestUrls) expect(new URL(url).pathname).toBe('/slack/events');
    expect(manifest.oauth_config.redirect_urls.length).toBeGreaterThan(0);
    for (const url of manifest.oauth_config.redirect_urls) {
      expect(new URL(url).pathname).toBe('/slack/oauth_redirect');
    }
  });
});
