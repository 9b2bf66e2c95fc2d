// Workspaces, codes and credits for the tests of /billing link, on a test database.
import { findOrCreateAccount } from '../../src/billing/accounts.ts';
import type { Actor, Place, Platform } from '../../src/billing/actors.ts';
import { applyLedgerChange } from '../../src/billing/ledger.ts';
import { hashLinkCode, normaliseLinkCode } from '../../src/billing/link-codes.ts';
import { createLinkCode, redeemLinkCode } from '../../src/billing/workspace-links.ts';
import type { Database } from '../../src/db/database.ts';

const MINUTE_MS = 60_000;
/** When the fixtures' codes are made; `at(minutes)` is a moment after it. */
export const T0 = new Date('2026-12-04T10:00:00Z');
export const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE_MS);
export const slackAdmin: Actor = { platform: 'slack', userId: 'U0ADMIN', userName: 'Ada Admin' };
export const discordAdmin: Actor = {
  platform: 'discord',
  userId: '80351110224678912',
  userName: 'Dan Discord',
};

export const placeOf = (platform: Platform, externalId: string): Place => ({
  workspace: { platform, externalId, name: `${platform}-${externalId}` },
  channelId: 'C0GENERAL',
});

export function linkFixtures(database: () => Database) {
  let nextId = 0;
  const prisma = () => database().prisma;

  return {
    /** A Discord-shaped id no other test uses. */
    freshId() {
      nextId += 1;
      return `${700_000_000_000_000_000n + BigInt(nextId)}`;
    },
    /** A Slack workspace with an account and a code that invites another workspace to it. */
    async slackCode(externalId: string, now = T0) {
      const place = placeOf('slack', externalId);
      const account = await findOrCreateAccount(prisma(), place.workspace, 'usd');
      const created = await createLinkCode(prisma(), { account, actor: slackAdmin, place, now });
      return { place, account, ...created };
    },
    /** Redeems a code in a place, by that platform's admin, a minute after T0 by default. */
    redeem(code: string, place: Place, now = at(1)) {
      const actor = place.workspace.platform === 'discord' ? discordAdmin : slackAdmin;
      return redeemLinkCode(prisma(), { code, actor, place, now });
    },
    /** Credits (or, negative, debits) an account once per key. */
    credit(accountId: string, amountMinor: bigint, key: string) {
      return applyLedgerChange(prisma(), {
        accountId,
        kind: amountMinor > 0n ? 'topup' : 'usage',
        amountMinor,
        description: 'test change',
        actor: slackAdmin,
        place: null,
        idempotencyKey: key,
      });
    },
    /** The stored row of a code, found by its hash as the bot finds it. */
    codeRow(code: string) {
      return prisma().workspaceLinkCode.findUniqueOrThrow({
        where: { codeHash: hashLinkCode(normaliseLinkCode(code) ?? '') },
      });
    },
  };
}
