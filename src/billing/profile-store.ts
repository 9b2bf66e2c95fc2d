// Saving and reading billing profiles. Only a fully valid profile is ever written, so what is
// saved stays printable on an invoice whatever a user types.
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Actor, Place } from './actors.ts';
import { recordAudit } from './audit.ts';
import {
  type BillingProfileFields,
  type ProfileField,
  type ProfileInput,
  validateProfile,
} from './profile.ts';

/** The outcome of a save: the stored profile, or every field problem (and nothing saved). */
export type SaveProfileResult =
  | { ok: true; profile: BillingProfileFields; changed: boolean }
  | { ok: false; errors: Partial<Record<ProfileField, string>> };

/** The account's billing profile, or null when none was saved yet. */
export async function loadProfile(
  prisma: PrismaClient,
  accountId: string,
): Promise<BillingProfileFields | null> {
  const row = await prisma.billingProfile.findUnique({ where: { accountId } });
  if (!row) return null;
  return {
    legalName: row.legalName,
    addressLine1: row.addressLine1,
    addressLine2: row.addressLine2,
    city: row.city,
    region: row.region,
    postalCode: row.postalCode,
    country: row.country,
    taxId: row.taxId,
  };
}

/**
 * Validates and saves a profile, auditing the values before and after in the same transaction.
 * Invalid input saves nothing: the previous profile stays as it was.
 */
export async function saveProfile(
  prisma: PrismaClient,
  accountId: string,
  input: ProfileInput,
  actor: Actor,
  place: Place | null,
): Promise<SaveProfileResult> {
  const validation = validateProfile(input);
  if (!validation.ok) return validation;
  const profile = validation.profile;
  const updatedBy = `${actor.platform}:${actor.userId}`;

  const changed = await prisma.$transaction(async (tx) => {
    const before = await tx.billingProfile.findUnique({ where: { accountId } });
    const beforeFields = before ? pickFields(before) : null;
    if (beforeFields && sameProfile(beforeFields, profile)) return false;

    await tx.billingProfile.upsert({
      where: { accountId },
      create: { accountId, ...profile, updatedBy },
      update: { ...profile, updatedBy },
    });
    await recordAudit(tx, {
      accountId,
      action: 'profile.updated',
      actor,
      place,
      before: beforeFields,
      after: profile,
    });
    return true;
  });
  return { ok: true, profile, changed };
}

function pickFields(row: BillingProfileFields): BillingProfileFields {
  const { legalName, addressLine1, addressLine2, city, region, postalCode, country, taxId } = row;
  return { legalName, addressLine1, addressLine2, city, region, postalCode, country, taxId };
}

function sameProfile(a: BillingProfileFields, b: BillingProfileFields): boolean {
  return (Object.keys(b) as (keyof BillingProfileFields)[]).every((key) => a[key] === b[key]);
}
