// Slack OAuth installations, kept in the database so that every replica can authorise requests.
// Installations hold tokens: they are stored, never logged.
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

type AnyInstallation = Installation<'v1' | 'v2', boolean>;

/** The row key: the organisation for an org-wide install, else the workspace. */
function keyOf(ids: { enterpriseId?: string; teamId?: string; isEnterpriseInstall?: boolean }) {
  if (ids.isEnterpriseInstall && ids.enterpriseId) return `enterprise:${ids.enterpriseId}`;
  return ids.teamId ? `team:${ids.teamId}` : null;
}

export function prismaInstallationStore(prisma: PrismaClient): InstallationStore {
  return {
    async storeInstallation(installation: AnyInstallation) {
      const ids = {
        enterpriseId: installation.enterprise?.id,
        teamId: installation.team?.id,
        isEnterpriseInstall: installation.isEnterpriseInstall,
      };
      const key = keyOf(ids);
      if (!key) throw new Error('A Slack installation without a team or an enterprise id');
      const data = {
        teamId: ids.teamId ?? null,
        enterpriseId: ids.enterpriseId ?? null,
        isEnterpriseInstall: Boolean(ids.isEnterpriseInstall),
        installation: installation as unknown as Prisma.InputJsonValue,
      };
      await prisma.slackInstallation.upsert({
        where: { key },
        create: { key, ...data },
        update: data,
      });
    },

    async fetchInstallation(query: InstallationQuery<boolean>) {
      // A workspace of an organisation that installed the app org-wide has no row of its own.
      const keys = [keyOf(query), query.enterpriseId ? `enterprise:${query.enterpriseId}` : null];
      for (const key of keys) {
        if (!key) continue;
        const row = await prisma.slackInstallation.findUnique({ where: { key } });
        if (row) return row.installation as unknown as AnyInstallation;
      }
      throw new Error(
        'No Slack installation for this workspace: install the app at /slack/install',
      );
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      const key = keyOf(query);
      if (key) await prisma.slackInstallation.deleteMany({ where: { key } });
    },
  };
}

/** Removes what an uninstall leaves behind: the workspace's and the organisation's rows. */
export async function forgetInstallation(
  prisma: PrismaClient,
  ids: { teamId: string | null; enterpriseId: string | null; isEnterpriseInstall: boolean },
): Promise<number> {
  const keys = [
    ids.teamId && !ids.isEnterpriseInstall ? `team:${ids.teamId}` : null,
    ids.isEnterpriseInstall && ids.enterpriseId ? `enterprise:${ids.enterpriseId}` : null,
  ].filter((key): key is string => key !== null);
  const { count } = await prisma.slackInstallation.deleteMany({ where: { key: { in: keys } } });
  return count;
}
