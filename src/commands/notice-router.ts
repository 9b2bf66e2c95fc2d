// Sends each notice through the adapter of the platform it belongs to. A notice that cannot be
// delivered is logged, never thrown: the payment it reports is already recorded, and failing
// the webhook would only make Stripe redeliver an event that changes nothing.
import type { Logger } from '../logger.ts';
import type { AlertTarget, NoticeTarget, Notifier, Reply } from './types.ts';

export function createNoticeRouter(
  byPlatform: Partial<Record<NoticeTarget['platform'], Notifier>>,
  logger: Logger,
): Notifier {
  const deliver = async (
    how: 'toChannel' | 'toPerson',
    target: NoticeTarget,
    reply: Reply,
  ): Promise<void> => {
    const fields = { platform: target.platform, workspace_id: target.workspaceId };
    const notifier = byPlatform[target.platform];
    if (!notifier) {
      logger.warn(fields, `no ${target.platform} adapter runs here: notice not delivered`);
      return;
    }
    try {
      await notifier[how](target, reply);
    } catch (error) {
      logger.error({ err: error, ...fields }, 'notice not delivered');
    }
  };
  const adapterOf = (target: AlertTarget): Notifier => {
    const notifier = byPlatform[target.platform];
    if (!notifier) throw new Error(`no ${target.platform} adapter runs in this process`);
    return notifier;
  };
  return {
    toChannel: (target, reply) => deliver('toChannel', target, reply),
    toPerson: (target, reply) => deliver('toPerson', target, reply),
    // Alerts report their own failures: the scan records them and tries again later.
    toAlertChannel: (target, reply, threadRef) =>
      adapterOf(target).toAlertChannel(target, reply, threadRef),
    channelProblem: (target) => adapterOf(target).channelProblem(target),
  };
}
