import { useLiveQuery } from 'dexie-react-hooks';
import { useSyncExternalStore } from 'react';
import type { WebcareDb } from '../db/db';
import { useServices } from '../services';

/** The agent's name at this console ("mine" in a column means assigned to this name). */
export const AGENT_NAME_KEY = 'agentName';
/** The one response target of earlier versions (minutes): every channel's until targets per channel are saved (insight/slaSettings.ts). */
export const RESPONSE_TARGET_KEY = 'responseTargetMin';
export const DEFAULT_RESPONSE_TARGET_MIN = 60;

export interface BoardSettings {
  me: string | null;
  responseTargetMin: number;
}

export function parseBoardSettings(agentName: unknown, target: unknown): BoardSettings {
  const me = typeof agentName === 'string' && agentName.trim() !== '' ? agentName.trim().slice(0, 100) : null;
  const n = typeof target === 'number' && Number.isFinite(target) && target >= 1 ? Math.min(Math.round(target), 7 * 24 * 60) : DEFAULT_RESPONSE_TARGET_MIN;
  return { me, responseTargetMin: n };
}

/**
 * In a team, "mine" is the team login's name: the name an assignment writes on
 * the conversation's messages (webcare.marks.assignee), whatever this console's
 * own name setting says. A string, so the board redraws only when it changes.
 */
function useTeamName(): string | null {
  const { status } = useServices();
  const get = () => status.get()?.team?.me?.name ?? null;
  return useSyncExternalStore(status.subscribe, get, get);
}

export function useBoardSettings(db: WebcareDb): BoardSettings {
  const rows = useLiveQuery(() => db.settings.bulkGet([AGENT_NAME_KEY, RESPONSE_TARGET_KEY]), [db]);
  const teamName = useTeamName();
  return parseBoardSettings(teamName ?? rows?.[0]?.value, rows?.[1]?.value);
}

export async function saveAgentName(db: WebcareDb, name: string): Promise<void> {
  await db.settings.put({ key: AGENT_NAME_KEY, value: name.trim().slice(0, 100) });
}
