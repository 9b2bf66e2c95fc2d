import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrCreateAccount } from '../../src/billing/accounts.ts';
import type { Actor, Place } from '../../src/billing/actors.ts';
import { loadProfile, saveProfile } from '../../src/billing/profile-store.ts';
import type { Database } from '../../src/db/database.ts';
import { databaseTargets } from '../support/databases.ts';

const admin: Actor = { platform: 'slack', userId: 'U0ADMIN', userName: 'Ada Admin' };
const place: Place = {
  workspace: { platform: 'slack', externalId: 'T0PROFILE' },
  channelId: 'C0GENERAL',
};

const validInput = {
  legalName: 'Beispiel Cloud GmbH',
  addressLine1: 'Musterstraße 12',
  city: 'Berlin',
  postalCode: '10115',
  country: 'Germany',
  taxId: 'DE 136 695 976',
};

describe.each(databaseTargets())('profile store on $name', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  const accountFor = (externalId: string) =>
    findOrCreateAccount(database.prisma, { platform: 'slack', externalId }, 'eur');

  it('saves a valid profile normalised, and audits the values before and after', async () => {
    const account = await accountFor('T_SAVE');

    const result = await saveProfile(database.prisma, account.id, validInput, admin, place);

    expect(result).toMatchObject({ ok: true, changed: true });
    expect(await loadProfile(database.prisma, account.id)).toEqual({
      legalName: 'Beispiel Cloud GmbH',
      addressLine1: 'Musterstraße 12',
      addressLine2: null,
      city: 'Berlin',
      region: null,
      postalCode: '10115',
      country: 'DE',
      taxId: 'DE136695976',
    });
    const [audit] = await database.prisma.auditEvent.findMany({ where: { accountId: account.id } });
    expect(audit).toMatchObject({
      action: 'profile.updated',
      actorId: 'U0ADMIN',
      actorName: 'Ada Admin',
      workspaceId: 'T0PROFILE',
      channelId: 'C0GENERAL',
      before: null,
    });
    expect(audit?.after).toMatchObject({ country: 'DE', taxId: 'DE136695976' });
  });

  it('saves nothing from an invalid submission and keeps the previous profile whole', async () => {
    const account = await accountFor('T_INVALID');
    await saveProfile(database.prisma, account.id, validInput, admin, place);

    const result = await saveProfile(
      database.prisma,
      account.id,
      { ...validInput, legalName: 'New Name AG', postalCode: '1011', taxId: 'DE1' },
      admin,
      place,
    );

    expect(result.ok).toBe(false);
    expect(Object.keys(result.ok ? {} : result.errors).sort()).toEqual(['postalCode', 'taxId']);
    expect((await loadProfile(database.prisma, account.id))?.legalName).toBe('Beispiel Cloud GmbH');
    expect(await database.prisma.auditEvent.count({ where: { accountId: account.id } })).toBe(1);
  });

  it('records a change with both versions, and an unchanged save as no change', async () => {
    const account = await accountFor('T_CHANGE');
    await saveProfile(database.prisma, account.id, validInput, admin, place);

    const changed = await saveProfile(
      database.prisma,
      account.id,
      { ...validInput, city: 'Hamburg', postalCode: '20095' },
      admin,
      place,
    );
    const unchanged = await saveProfile(
      database.prisma,
      account.id,
      { ...validInput, city: 'Hamburg', postalCode: '20095' },
      admin,
      place,
    );

    expect(changed).toMatchObject({ ok: true, changed: true });
    expect(unchanged).toMatchObject({ ok: true, changed: false });
    const audits = await database.prisma.auditEvent.findMany({
      where: { accountId: account.id },
      orderBy: { id: 'asc' },
    });
    expect(audits).toHaveLength(2);
    expect(audits[1]?.before).toMatchObject({ city: 'Berlin', postalCode: '10115' });
    expect(audits[1]?.after).toMatchObject({ city: 'Hamburg', postalCode: '20095' });
  });
});
