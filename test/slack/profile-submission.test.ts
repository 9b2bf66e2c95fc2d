import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, slackUsers, startFakeSlack } from '../support/slack-api.ts';
import { type RunningSlackBot, startSlackBot } from '../support/slack-bot.ts';
import { slashCommand, type ViewStateValue, viewSubmission } from '../support/slack-requests.ts';

/** The view as our bot sent it to views.open (Slack adds the id and hash on its side). */
interface OpenedView {
  private_metadata: string;
  blocks: { type: string; block_id?: string }[];
}

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

const VALID_GERMAN = {
  legalName: 'Beispiel Cloud GmbH',
  addressLine1: 'Musterstraße 12',
  addressLine2: '',
  city: 'Berlin',
  region: '',
  postalCode: '10115',
  country: 'DE',
  taxId: 'DE 136 695 976',
};

describe('the billing-details modal in Slack', () => {
  let fake: FakeSlack;
  let bot: RunningSlackBot;
  beforeAll(async () => {
    fake = await startFakeSlack();
    for (const user of [slackUsers.admin(), slackUsers.member(), slackUsers.owner()]) {
      fake.users.set(user.id, user);
    }
    bot = await startSlackBot(fake);
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  /** Opens the modal as the admin with /billing edit and returns the view Slack was sent. */
  async function openModal(): Promise<{ view: OpenedView; responseUrlId: string }> {
    const responseUrl = fake.responseUrl();
    await bot.send(slashCommand({ text: 'edit', user_id: 'U0ADMIN', response_url: responseUrl }));
    const [open] = await fake.waitFor('views.open');
    const responseUrlId = new URL(responseUrl).pathname.split('/').pop() ?? '';
    return { view: open?.body.view as OpenedView, responseUrlId };
  }

  // A redelivery of one submission carries the same view id and hash, as Slack sends them.
  async function submit(view: OpenedView, userId: string, fields: Record<string, string>) {
    const response = await bot.send(
      viewSubmission({
        callbackId: 'billing_profile',
        userId,
        viewId: 'V0MODAL0001',
        hash: '1764790000.a1b2c3d4',
        privateMetadata: view.private_metadata,
        blocks: view.blocks,
        values: typed(fields),
      }),
    );
    return { status: response.status, body: response.body ? JSON.parse(response.body) : null };
  }

  it('returns every problem inline, keyed by input blocks of the opened view, and saves nothing', async () => {
    const { view } = await openModal();

    const answer = await submit(view, 'U0ADMIN', {
      ...VALID_GERMAN,
      legalName: '',
      postalCode: '1011',
      taxId: 'DE12345',
    });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      response_action: 'errors',
      errors: {
        legalName: 'Enter the legal name.',
        postalCode: 'Enter the postal code in the form used in Germany, e.g. 10115.',
        taxId:
          'That is not a valid German VAT number (DE + 9 digits, e.g. DE123456789). Check each digit: the number carries a check digit that must match.',
      },
    });
    const blockIds = view.blocks.map((block) => block.block_id);
    for (const key of Object.keys(answer.body.errors)) expect(blockIds).toContain(key);
    expect(await bot.database.prisma.billingProfile.count()).toBe(0);
  });

  it('saves a valid submission once and confirms it once, even when delivered twice', async () => {
    const { view, responseUrlId } = await openModal();

    const first = await submit(view, 'U0ADMIN', VALID_GERMAN);
    const second = await submit(view, 'U0ADMIN', VALID_GERMAN);

    expect([first.status, second.status]).toEqual([200, 200]);
    const [confirmation] = await fake.waitFor(`response_url:${responseUrlId}`);
    expect(confirmation?.body.text).toBe('Billing details saved.');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.callsTo(`response_url:${responseUrlId}`)).toHaveLength(1);
    const profiles = await bot.database.prisma.billingProfile.findMany();
    expect(profiles.map((profile) => [profile.legalName, profile.taxId])).toEqual([
      ['Beispiel Cloud GmbH', 'DE136695976'],
    ]);
    const audits = await bot.database.prisma.auditEvent.findMany({
      where: { action: 'profile.updated' },
    });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorPlatform: 'slack',
      actorId: 'U0ADMIN',
      workspaceId: 'T0TESTTEAM',
    });
  });

  it('changes nothing when the submitter is no admin at the moment of submitting', async () => {
    const { view } = await openModal();
    const before = await bot.database.prisma.billingProfile.findMany();

    const answer = await submit(view, 'U0MEMBER', { ...VALID_GERMAN, legalName: 'Hijacked Ltd' });

    expect(answer.body).toEqual({
      response_action: 'errors',
      errors: { legalName: 'Only billing admins can edit billing details. Nothing was saved.' },
    });
    expect(await bot.database.prisma.billingProfile.findMany()).toEqual(before);
  });

  it('prefills the modal with the saved details the next time', async () => {
    const { view: first } = await openModal();
    await submit(first, 'U0ADMIN', { ...VALID_GERMAN, legalName: 'Prefilled GmbH' });
    fake.reset();

    const { view } = await openModal();

    const inputs = view.blocks as unknown as {
      block_id: string;
      element: { initial_value?: string; initial_option?: { value: string } };
    }[];
    const byId = Object.fromEntries(inputs.map((block) => [block.block_id, block.element]));
    expect(byId.legalName?.initial_value).toBe('Prefilled GmbH');
    expect(byId.taxId?.initial_value).toBe('DE136695976');
    expect(byId.country?.initial_option?.value).toBe('DE');
  });
});
