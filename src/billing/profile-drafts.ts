// A billing-details form typed in two parts (Discord allows five inputs per modal, the profile
// has eight): the first part waits here, in the database so that any replica can take the second,
// and expires if the second never comes. A draft is never a profile: nothing is saved from it
// until the whole form validates.
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { PROFILE_FIELDS, type ProfileInput } from './profile.ts';

/** How long the first part of a form waits for the rest. */
export const PROFILE_DRAFT_TTL_MS = 15 * 60_000;

/** The person a draft belongs to: only they can continue it, in the same workspace. */
export interface DraftOwner {
  platform: string;
  workspaceId: string;
  userId: string;
}

/**
 * Keeps the values typed so far for 15 minutes, also clearing drafts that expired.
 * @returns the draft's id, to carry in the "continue" button.
 */
export async function createProfileDraft(
  prisma: PrismaClient,
  owner: DraftOwner,
  values: ProfileInput,
  now: Date,
): Promise<string> {
  await prisma.profileDraft.deleteMany({ where: { expiresAt: { lte: now } } });
  const draft = await prisma.profileDraft.create({
    data: { ...owner, values: storable(values), expiresAt: expiryFrom(now) },
  });
  return draft.id;
}

/**
 * The values of the owner's draft, or null when it expired, never existed or is someone else's.
 */
export async function loadProfileDraft(
  prisma: PrismaClient,
  id: string,
  owner: DraftOwner,
  now: Date,
): Promise<ProfileInput | null> {
  if (!isUuid(id)) return null;
  const draft = await prisma.profileDraft.findFirst({
    where: { id, ...owner, expiresAt: { gt: now } },
  });
  return draft ? readValues(draft.values) : null;
}

/** Replaces the values of the owner's live draft and gives it 15 more minutes. False if gone. */
export async function updateProfileDraft(
  prisma: PrismaClient,
  id: string,
  owner: DraftOwner,
  values: ProfileInput,
  now: Date,
): Promise<boolean> {
  if (!isUuid(id)) return false;
  const { count } = await prisma.profileDraft.updateMany({
    where: { id, ...owner, expiresAt: { gt: now } },
    data: { values: storable(values), expiresAt: expiryFrom(now) },
  });
  return count === 1;
}

/** Drops a draft once its form was saved. */
export async function deleteProfileDraft(prisma: PrismaClient, id: string): Promise<void> {
  if (isUuid(id)) await prisma.profileDraft.deleteMany({ where: { id } });
}

function expiryFrom(now: Date): Date {
  return new Date(now.getTime() + PROFILE_DRAFT_TTL_MS);
}

// Only the profile's own fields, as text: whatever else a caller passed stays out.
function storable(values: ProfileInput): Prisma.InputJsonObject {
  const kept: Record<string, string> = {};
  for (const { key } of PROFILE_FIELDS) {
    const value = values[key];
    if (typeof value === 'string') kept[key] = value;
  }
  return kept;
}

function readValues(json: Prisma.JsonValue): ProfileInput {
  const values: ProfileInput = {};
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return values;
  for (const { key } of PROFILE_FIELDS) {
    const value = json[key];
    if (typeof value === 'string') values[key] = value;
  }
  return values;
}

// Ids come back in button ids that anyone could forge: a malformed one is simply not found.
function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id);
}
