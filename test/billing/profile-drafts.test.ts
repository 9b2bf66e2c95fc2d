import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProfileDraft,
  deleteProfileDraft,
  loadProfileDraft,
  PROFILE_DRAFT_TTL_MS,
  updateProfileDraft,
} from '../../src/billing/profile-drafts.ts';
import type { Database } from '../../src/db/database.ts';
import { databaseTargets } from '../support/databases.ts';

const owner = {
  platform: 'discord',
  workspaceId: '710000000000000001',
  userId: '720000000000000001',
};
const start = new Date('2026-12-04T10:00:00Z');
const later = (ms: number) => new Date(start.getTime() + ms);

describe.each(databaseTargets())('profile drafts on $name', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('gives back what was typed to its owner until it expires', async () => {
    const id = await createProfileDraft(database.prisma, owner, { legalName: 'Ada Ltd' }, start);

    const justBefore = later(PROFILE_DRAFT_TTL_MS - 1);
    expect(await loadProfileDraft(database.prisma, id, owner, justBefore)).toEqual({
      legalName: 'Ada Ltd',
    });
    expect(await loadProfileDraft(database.prisma, id, owner, later(PROFILE_DRAFT_TTL_MS))).toBe(
      null,
    );
  });

  it('is nobody else’s: another user or another server finds nothing', async () => {
    const id = await createProfileDraft(database.prisma, owner, { city: 'Berlin' }, start);

    const otherUser = { ...owner, userId: '720000000000000002' };
    const otherServer = { ...owner, workspaceId: '710000000000000002' };
    expect(await loadProfileDraft(database.prisma, id, otherUser, start)).toBe(null);
    expect(await loadProfileDraft(database.prisma, id, otherServer, start)).toBe(null);
    expect(await updateProfileDraft(database.prisma, id, otherUser, {}, start)).toBe(false);
  });

  it('keeps only the profile fields, and an update gives it another 15 minutes', async () => {
    const typed = { city: 'Berlin', injected: 'x' } as Record<string, string>;
    const id = await createProfileDraft(database.prisma, owner, typed, start);

    const renewedAt = later(PROFILE_DRAFT_TTL_MS - 1_000);
    expect(await updateProfileDraft(database.prisma, id, owner, { city: 'Bonn' }, renewedAt)).toBe(
      true,
    );
    const afterFirstExpiry = later(PROFILE_DRAFT_TTL_MS + 1_000);
    expect(await loadProfileDraft(database.prisma, id, owner, afterFirstExpiry)).toEqual({
      city: 'Bonn',
    });
  });

  it('finds nothing for a forged id, and nothing after deletion', async () => {
    const id = await createProfileDraft(database.prisma, owner, { city: 'Oslo' }, start);
    await deleteProfileDraft(database.prisma, id);

    expect(await loadProfileDraft(database.prisma, id, owner, start)).toBe(null);
    expect(await loadProfileDraft(database.prisma, "1' OR '1'='1", owner, start)).toBe(null);
  });
});
