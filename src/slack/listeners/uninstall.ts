// The app uninstalled, or its bot token revoked: the stored installation goes, so no token of a
// workspace that removed the app stays in the database.
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../context.ts';
import { forgetInstallation } from '../installation-store.ts';
import { idsOfBody } from '../workspace.ts';

export function registerUninstall(app: App, deps: SlackDeps): void {
  const forget = async (body: unknown, reason: string) => {
    const ids = idsOfBody(body);
    const isEnterpriseInstall = Boolean(
      (body as { is_enterprise_install?: boolean }).is_enterprise_install,
    );
    const removed = await forgetInstallation(deps.billing.prisma, {
      teamId: ids.teamId ?? null,
      enterpriseId: ids.enterpriseId ?? null,
      isEnterpriseInstall,
    });
    deps.logger.info(
      { team_id: ids.teamId, enterprise_id: ids.enterpriseId, removed, reason },
      'Slack installation removed',
    );
  };

  app.event('app_uninstalled', async ({ body }) => forget(body, 'app_uninstalled'));
  app.event('tokens_revoked', async ({ event, body }) => {
    if ((event.tokens.bot ?? []).length > 0) await forget(body, 'tokens_revoked');
  });
}
