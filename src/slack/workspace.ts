// Which billing account a Slack payload belongs to. A workspace install is keyed by its team; an
// Enterprise Grid organisation-wide install may send payloads with an enterprise and no team, and
// those are keyed by the enterprise. Every listener goes through here, so the keys agree.
import type { WorkspaceRef } from '../billing/actors.ts';

/** The ids a Slack payload may carry, in any of its documented places. */
export interface SlackPayloadIds {
  teamId?: string | null;
  enterpriseId?: string | null;
  teamName?: string | null;
}

/** The billing workspace of a payload, or null when it names neither a team nor an enterprise. */
export function slackWorkspace(ids: SlackPayloadIds): WorkspaceRef | null {
  if (ids.teamId) return { platform: 'slack', externalId: ids.teamId, name: ids.teamName ?? null };
  if (ids.enterpriseId) return { platform: 'slack', externalId: ids.enterpriseId, name: null };
  return null;
}

/** Reads team and enterprise ids from a command, an interaction payload or an event envelope. */
export function idsOfBody(body: unknown): SlackPayloadIds {
  const payload = (body ?? {}) as Record<string, unknown>;
  const team = payload.team as { id?: string; domain?: string } | null | undefined;
  const enterprise = payload.enterprise as { id?: string } | null | undefined;
  const user = payload.user as { team_id?: string } | undefined;
  return {
    teamId: str(payload.team_id) ?? team?.id ?? user?.team_id ?? null,
    enterpriseId: str(payload.enterprise_id) ?? enterprise?.id ?? null,
    teamName: str(payload.team_domain) ?? team?.domain ?? null,
  };
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
