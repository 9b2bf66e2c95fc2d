// The two-part billing form in Discord, end to end against the loopback Discord stand-in.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROFILE_DRAFT_TTL_MS } from '../../src/billing/profile-drafts.ts';
import { type FakeDiscord, startFakeDiscord } from '../support/discord-api.ts';
import { type RunningDiscordBot, startDiscordBot } from '../support/discord-bot.ts';
import {
  buttonInteraction,
  chatInputInteraction,
  modalSubmitInteraction,
} from '../support/discord-interactions.ts';
import { DISCORD_GUILD_ID, discordUsers } from '../support/discord-payloads.ts';

const PART_ONE = {
  legalName: 'Beispiel Cloud GmbH',
  addressLine1: 'Musterstraße 12',
  addressLine2: '',
  city: 'Berlin',
  country: 'Germany',
};

interface Button {
  custom_id?: string;
  label?: string;
}

describe('/billing edit in Discord', () => {
  let discord: FakeDiscord;
  let bot: RunningDiscordBot;
  beforeAll(async () => {
    discord = await startFakeDiscord({ heartbeatIntervalMs: 1_000 });
    // Registered in one server, as while developing.
    bot = await startDiscordBot(discord, { DISCORD_GUILD_ID });
  });
  afterAll(async () => {
    await bot?.close();
    await discord?.close();
  });
  beforeEach(async () => {
    discord.reset();
    bot.bot.billing.now = () => new Date();
    await bot.database.prisma.profileDraft.deleteMany();
    await bot.database.prisma.billingProfile.deleteMany();
  });

  const profileCount = () => bot.database.prisma.billingProfile.count();
  const buttonsOf = (data: Record<string, unknown>): Button[] =>
    ((data.components ?? []) as { components: Button[] }[]).flatMap((row) => row.components);
  const submit = (customId: string, values: Record<string, string>, user = discordUsers.admin) =>
    bot.interact(modalSubmitInteraction(customId, values, { user, layout: 'labels' }));

  /** `/billing edit`, then part 1 submitted: the answer with its button. */
  async function fillPartOne(values: Record<string, string> = PART_ONE) {
    const opened = await bot.interact(chatInputInteraction('/billing edit'));
    expect(opened.type).toBe(9);
    expect((opened.data.components as unknown[]).length).toBeLessThanOrEqual(5);
    const answer = await submit(String(opened.data.custom_id), values);
    return { answer, button: buttonsOf(answer.data)[0] };
  }

  it('registers /billing in the one server DISCORD_GUILD_ID names, not globally', () => {
    expect(discord.commands(DISCORD_GUILD_ID).map((command) => command.name)).toEqual(['billing']);
    expect(discord.commands()).toEqual([]);
  });

  it('takes part 1, then opens part 2 from a button, and saves only once both are valid', async () => {
    const { answer, button } = await fillPartOne();
    expect(answer.data.content).toContain('Part 1 of 2 is kept for 15 minutes');
    expect(button?.label).toBe('Continue (2 of 2)');
    expect(await profileCount()).toBe(0);

    const partTwo = await bot.interact(buttonInteraction(button?.custom_id ?? ''));
    expect(partTwo.type).toBe(9);
    expect(partTwo.data.title).toBe('Billing details (2 of 2)');

    const invalid = await submit(String(partTwo.data.custom_id), {
      region: '',
      postalCode: '10115',
      taxId: 'DE12345',
    });
    expect(invalid.data.content).toContain('Nothing was saved. Please fix:');
    expect(invalid.data.content).toContain('Tax ID:');
    expect(await profileCount()).toBe(0);

    // The fix button reopens part 2 as typed; the corrected form saves everything.
    const fix = buttonsOf(invalid.data)[0];
    expect(fix?.label).toBe('Fix billing details (2 of 2)');
    const reopened = await bot.interact(buttonInteraction(fix?.custom_id ?? ''));
    expect(JSON.stringify(reopened.data.components)).toContain('"value":"DE12345"');
    const saved = await submit(String(reopened.data.custom_id), {
      region: '',
      postalCode: '10115',
      taxId: 'DE136695976',
    });

    expect(saved.data.content).toContain('Billing details saved.');
    const profile = await bot.database.prisma.billingProfile.findFirstOrThrow();
    expect(profile).toMatchObject({
      legalName: 'Beispiel Cloud GmbH',
      country: 'DE',
      taxId: 'DE136695976',
      updatedBy: expect.stringContaining(discordUsers.admin.id),
    });
    expect(await bot.database.prisma.profileDraft.count()).toBe(0);
  });

  it('lists part 1 problems at once, with a button back to part 1', async () => {
    const { answer, button } = await fillPartOne({ ...PART_ONE, country: 'Atlantis' });

    expect(answer.data.content).toContain('Country:');
    expect(button?.label).toBe('Fix billing details (1 of 2)');
    const reopened = await bot.interact(buttonInteraction(button?.custom_id ?? ''));
    expect(reopened.data.title).toBe('Billing details (1 of 2)');
    expect(JSON.stringify(reopened.data.components)).toContain('"value":"Atlantis"');
  });

  it('saves nothing when part 2 comes after part 1 expired', async () => {
    const { button } = await fillPartOne();
    const partTwo = await bot.interact(buttonInteraction(button?.custom_id ?? ''));

    const late = Date.now() + PROFILE_DRAFT_TTL_MS + 60_000;
    bot.bot.billing.now = () => new Date(late);
    const answer = await submit(String(partTwo.data.custom_id), {
      region: '',
      postalCode: '10115',
      taxId: 'DE136695976',
    });

    expect(answer.data.content).toContain('expired after 15 minutes');
    expect(buttonsOf(answer.data)[0]?.custom_id).toBe('billing:edit-profile');
    expect(await profileCount()).toBe(0);
  });

  it('checks the role at every step: a member gets no form, and a submission of theirs saves nothing', async () => {
    const opened = await bot.interact(
      chatInputInteraction('/billing edit', { user: discordUsers.member }),
    );
    expect(opened.type).not.toBe(9);
    expect(opened.data.content).toContain('Only billing admins can edit billing details');

    const { button } = await fillPartOne();
    const draftId = button?.custom_id?.split(':').pop() ?? '';
    const forged = await submit(
      `billing:profile:2:${draftId}`,
      { region: '', postalCode: '10115', taxId: 'DE136695976' },
      discordUsers.member,
    );

    expect(forged.data.content).toContain('Only billing admins');
    expect(await profileCount()).toBe(0);
  });
});
