// The app uninstalled, or its bot token revoked: the stored installation goes, so no token of a
// workspace that removed the app stays in the database.
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../context.ts';
import { forgetInstallation } from '../installation-store.ts';
import { idsOfBody } from '../workspace.ts';

export function registerUninstall(app: App, deps: SlackDeps): void {
  // Event envelopes say whether the install is org-wide only in `authorizations[0]`, which Bolt
  // reads into `context.isEnterpriseInstall`; the envelope has no top-level flag.
  const forget = async (body: unknown, isEnterpriseInstall: boolean, reason: string) => {
    const ids = idsOfBody(body);
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

  app.event('app_uninstalled', async ({ body, context }) =>
    forget(body, context.isEnterpriseInstall, 'app_uninstalled'),
  );
  app.event('tokens_revoked', async ({ event, body, context }) => {
    if ((event.tokens.bot ?? []).length > 0) {
      await forget(body, context.isEnterpriseInstall, 'tokens_revoked');
    }
  });
}
