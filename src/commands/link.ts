// `/billing link`: one billing account for several workspaces (a Slack workspace and a Discord
// server, say). An admin gets a one-time code in one place and types it in the other:
//   link          a code for another workspace to join this one's account
//   link <code>   this workspace joins the account the code was made for
import { findOrCreateAccount } from '../billing/accounts.ts';
import type { Place } from '../billing/actors.ts';
import { formatLinkCode, normaliseLinkCode } from '../billing/link-codes.ts';
import { createLinkCode, LINK_CODE_TTL_MS, redeemLinkCode } from '../billing/workspace-links.ts';
import { adminOnlyReply, requesterIsAdmin } from './context.ts';
import { formatWhen } from './format.ts';
import { describeWorkspace, linkedReply, ownAccountInUseReply } from './link-replies.ts';
import type { BillingDeps, CommandRequest, Reply } from './types.ts';

/** One answer for every code that cannot be used: guessing learns nothing from the wording. */
export const INVALID_CODE_TEXT =
  'That code is not valid or has expired; run /billing link again in the other place for a ' +
  'new one.';

export async function linkCommand(
  deps: BillingDeps,
  request: CommandRequest,
  argument: string,
): Promise<Reply> {
  const typed = argument.trim();
  if (!requesterIsAdmin({ deps, request })) {
    const action = typed
      ? 'link this workspace to another billing account'
      : 'link other workspaces to this billing account';
    return adminOnlyReply(request, action);
  }
  return typed ? joinWithCode(deps, request, typed) : offerCode(deps, request);
}

async function offerCode(deps: BillingDeps, request: CommandRequest): Promise<Reply> {
  const account = await findOrCreateAccount(deps.prisma, request.workspace, deps.currency);
  const place: Place = { workspace: request.workspace, channelId: request.channelId };
  const { code, expiresAt, replacedEarlier } = await createLinkCode(deps.prisma, {
    account,
    actor: request.actor,
    place,
    now: deps.now(),
  });

  const minutes = Math.round(LINK_CODE_TTL_MS / 60_000);
  const instruction =
    `Run /billing link ${code} in the Slack workspace or Discord server that should join ` +
    `this billing account (an admin must run it there). The code works once and expires in ` +
    `${minutes} minutes, at ${formatWhen(expiresAt)}.`;
  const notes =
    'Both places then share one balance and one history. The other place must not hold money ' +
    'or billing history of its own yet.' +
    (replacedEarlier ? ' The code made here before no longer works.' : '');
  return {
    outcome: 'ok',
    text:
      `Link code ${code}: run /billing link ${code} in the other place within ` +
      `${minutes} minutes.`,
    blocks: [
      { type: 'heading', text: `Link code: ${code}` },
      { type: 'text', text: instruction },
      { type: 'text', text: notes },
    ],
  };
}

async function joinWithCode(
  deps: BillingDeps,
  request: CommandRequest,
  typed: string,
): Promise<Reply> {
  const { workspace } = request;
  const limiterKey = `${workspace.platform}:${workspace.externalId}`;
  const allowed = deps.linkCodeLimiter.check(limiterKey, deps.now());
  if (!allowed.ok) {
    const minutes = Math.ceil(allowed.retryAfterSeconds / 60);
    return invalid(
      `Too many codes that did not work were typed in ${describeWorkspace(workspace, 'here')} ` +
        `lately. Wait ${minutes === 1 ? '1 minute' : `${minutes} minutes`}, then try again.`,
    );
  }

  const place: Place = { workspace, channelId: request.channelId };
  const outcome = await redeemLinkCode(deps.prisma, {
    code: typed,
    actor: request.actor,
    place,
    now: deps.now(),
  });
  switch (outcome.status) {
    case 'invalid':
      deps.linkCodeLimiter.take(limiterKey, deps.now());
      return invalid(INVALID_CODE_TEXT);
    case 'same_workspace':
      return sameWorkspaceReply(request, typed);
    case 'already_linked':
      return linkedReply(workspace, outcome.account, outcome.workspaces, 'already');
    case 'holds_billing_data':
      return ownAccountInUseReply(workspace, outcome.holdings);
    case 'linked':
      return linkedReply(workspace, outcome.account, outcome.workspaces, 'now');
  }
}

function sameWorkspaceReply(request: CommandRequest, typed: string): Reply {
  const code = normaliseLinkCode(typed);
  return invalid(
    `That code was made here, in ${describeWorkspace(request.workspace, 'here')}. Run ` +
      `/billing link ${code ? formatLinkCode(code) : typed} in the other place: the Slack ` +
      'workspace or Discord server that should join this account.',
  );
}

function invalid(text: string): Reply {
  return { outcome: 'invalid', text, blocks: [{ type: 'text', text }] };
}
