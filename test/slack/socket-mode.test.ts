import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBot } from '../support/bot-process.ts';
import { type FakeSlack, slackUsers, startFakeSlack } from '../support/slack-api.ts';
import { type RunningSlackBot, startSlackBot } from '../support/slack-bot.ts';
import { slashCommand, type ViewStateValue, viewSubmission } from '../support/slack-requests.ts';
import {
  type FakeSlackSocket,
  socketPayload,
  startFakeSlackSocket,
} from '../support/slack-socket.ts';

/** An app-level token in Slack's shape (`xapp-<n>-<app id>-<n>-<hex>`), made up. */
const APP_TOKEN = 'xapp-1-A0BILLING-1000000000001-0123456789abcdef0123456789abcdef';
const TRIGGER_ID = '1000000000001.1000000000.0123456789abcdef0123456789abcdef';

/** The view as our bot sent it to views.open. */
interface OpenedView {
  callback_id: string;
  private_metadata: string;
  blocks: { type: string; block_id?: string }[];
}

const VALID_FRENCH = {
  legalName: 'Exemple Nuage SAS',
  addressLine1: '12 rue de la Paix',
  addressLine2: '',
  city: 'Paris',
  region: '',
  postalCode: '75002',
  country: 'FR',
  taxId: 'FR 40 303 265 045',
};

/** What a user typed into the modal, in `view.state.values` form. */
function typed(fields: Record<string, string>): Record<string, Record<string, ViewStateValue>> {
  return Object.fromEntries(
    Object.entries(fields).map(([blockId, value]) => [
      blockId,
      {
        value:
          blockId === 'country'
            ? {
                type: 'static_select',
                selected_option: { text: { type: 'plain_text', text: value }, value },
              }
            : { type: 'plain_text_input', value },
      },
    ]),
  );
}

describe('the Slack adapter in Socket Mode', () => {
  let fake: FakeSlack;
  let socket: FakeSlackSocket;
  let bot: RunningSlackBot;
  beforeAll(async () => {
    fake = await startFakeSlack();
    for (const user of [slackUsers.admin(), slackUsers.member()]) fake.users.set(user.id, user);
    socket = await startFakeSlackSocket(fake);
    bot = await startSlackBot(fake, { SLACK_APP_TOKEN: APP_TOKEN });
  });
  afterAll(async () => {
    await bot?.close();
    await socket?.close();
    await fake?.close();
  });
  beforeEach(() => {
    fake.reset();
    socket.serveConnectionsOpen();
  });

  /** Delivers `/billing <text>` as a slash_commands envelope; returns its ack and response_url id. */
  async function command(text: string, userId: string, envelope: { envelopeId?: string } = {}) {
    const responseUrlId = `R-${text || 'bare'}-${userId}-${Date.now()}`;
    const request = slashCommand({
      text,
      user_id: userId,
      trigger_id: TRIGGER_ID,
      response_url: fake.responseUrl(responseUrlId),
    });
    const ack = await socket.deliver('slash_commands', socketPayload(request), envelope);
    return { ack, responseUrlId };
  }

  /** Opens the modal as the admin and returns the view Slack was sent. */
  async function openModal() {
    const { responseUrlId } = await command('edit', 'U0ADMIN');
    const [open] = await fake.waitFor('views.open');
    return { view: open?.body.view as OpenedView, responseUrlId };
  }

  /** Delivers the modal's view_submission as an interactive envelope and returns the ack. */
  function submit(view: OpenedView, userId: string, fields: Record<string, string>) {
    const request = viewSubmission({
      callbackId: view.callback_id,
      userId,
      viewId: 'V0SOCKETMODAL',
      hash: '1764790000.socket01',
      privateMetadata: view.private_metadata,
      blocks: view.blocks,
      values: typed(fields),
    });
    return socket.deliver('interactive', socketPayload(request));
  }

  it('connects with the app-level token, asked for through SLACK_API_URL', () => {
    expect(socket.openTokens).toEqual([APP_TOKEN]);
    expect(socket.openConnections()).toBe(1);
  });

  it('acks /billing balance with its envelope id and answers ephemerally at the response_url', async () => {
    const envelopeId = '0a1b2c3d-0000-4000-8000-00000000ba1a';

    const { ack, responseUrlId } = await command('balance', 'U0MEMBER', { envelopeId });

    expect(ack).toEqual({ envelope_id: envelopeId, payload: {} });
    expect(socket.frames.filter((frame) => frame.envelope_id === envelopeId)).toHaveLength(1);
    const [reply] = await fake.waitFor(`response_url:${responseUrlId}`);
    expect(reply?.body.response_type).toBe('ephemeral');
    expect(reply?.body.text).toBe('Balance: $0.00');
    expect(JSON.stringify(reply?.body.blocks)).toContain('Usage, last 7 days');
  });

  it('opens the billing modal for an admin with the trigger_id of the command', async () => {
    const { ack } = await command('edit', 'U0ADMIN');

    expect(ack.payload).toEqual({});
    const [open] = await fake.waitFor('views.open');
    const view = open?.body.view as OpenedView;
    expect(open?.body.trigger_id).toBe(TRIGGER_ID);
    expect(open?.token).toBe('xoxb-test-token');
    expect(view.callback_id).toBe('billing_profile');
    expect(view.blocks.filter((block) => block.type === 'input')).toHaveLength(8);
  });

  it('opens no modal for a member and says who can edit', async () => {
    const { responseUrlId } = await command('edit', 'U0MEMBER');

    const [reply] = await fake.waitFor(`response_url:${responseUrlId}`);
    expect(reply?.body.text).toBe('Only billing admins can edit billing details.');
    expect(fake.callsTo('views.open')).toHaveLength(0);
  });

  it('acks an invalid submission with the problems keyed by input block ids, saving nothing', async () => {
    const { view } = await openModal();

    const ack = await submit(view, 'U0ADMIN', {
      ...VALID_FRENCH,
      legalName: '',
      postalCode: '7500',
    });

    expect(ack.payload).toEqual({
      response_action: 'errors',
      errors: {
        legalName: 'Enter the legal name.',
        postalCode: expect.stringContaining('France'),
      },
    });
    const inputIds = view.blocks.map((block) => block.block_id);
    for (const key of Object.keys(ack.payload?.errors ?? {})) expect(inputIds).toContain(key);
    expect(await bot.database.prisma.billingProfile.count()).toBe(0);
  });

  it('saves a valid submission, acks it with no payload and confirms at the response_url', async () => {
    const { view, responseUrlId } = await openModal();

    const ack = await submit(view, 'U0ADMIN', VALID_FRENCH);

    expect(ack.payload).toEqual({});
    const [confirmation] = await fake.waitFor(`response_url:${responseUrlId}`);
    expect(confirmation?.body.text).toBe('Billing details saved.');
    const profiles = await bot.database.prisma.billingProfile.findMany();
    expect(
      profiles.map((profile) => [profile.legalName, profile.postalCode, profile.taxId]),
    ).toEqual([['Exemple Nuage SAS', '75002', 'FR40303265045']]);
  });

  // main.ts closes the database right after stop(): no envelope may be taken after it resolves.
  it('has closed its socket, with a normal closure, by the time stop() resolves', async () => {
    const second = await startSlackBot(fake, { SLACK_APP_TOKEN: APP_TOKEN });
    expect(socket.openConnections()).toBe(2);
    const closed = socket.waitForClose();

    await second.slack.stop();

    expect(socket.openConnections()).toBe(1);
    expect((await closed).at(-1)).toEqual({ code: 1000, reason: '' });
    await second.close();
  });

  it('leaves nothing running after stop: a process that starts and stops it exits by itself', async () => {
    // The child starts tsx, PGlite and the migrations before it connects: on a loaded machine
    // that alone can take longer than the stand-in's default wait.
    const closed = socket.waitForClose(undefined, 60_000);
    const run = startBot(
      { SLACK_API_URL: fake.apiUrl, SLACK_APP_TOKEN: APP_TOKEN, LOG_LEVEL: 'silent' },
      'test/support/socket-mode-run.ts',
    );
    await run.waitFor(/stopped/);
    // Generous: a loaded 2-core CI machine can take seconds to tear a process down; a process
    // kept alive by a socket or timer would still be running long after.
    const alive = setTimeout(() => run.child.kill('SIGKILL'), 20_000);

    const exit = await run.exited;
    clearTimeout(alive);

    expect(exit.stdout).toContain('connected in Socket Mode');
    expect(exit.code, 'still alive 20 s after stop(), so it was killed').toBe(0);
    expect((await closed).at(-1)?.code).toBe(1000);
  });
});
