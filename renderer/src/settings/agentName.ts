import { useLiveQuery } from 'dexie-react-hooks';
import { useSyncExternalStore } from 'react';
import { AGENT_NAME_KEY, saveAgentName } from '../board/boardSettings';
import type { WebcareDb } from '../db/db';
import { useDb, useServices } from '../services';

/**
 * "Your name": one setting (`agentName`), used for "mine" in a column's
 * filter and for `{{agent.name}}` in canned replies; the settings dialog and
 * the canned-reply profile both edit it. In a team the name is the team
 * login's name (what an assignment writes on a conversation), shown there and
 * not editable here.
 *
 * The canned-reply profile once kept a name of its own (`composer.agent`'s
 * `name`). A console that has only that one adopts it at start; where both
 * were set, the settings one wins, since it is the one the board already used.
 */
export { AGENT_NAME_KEY, saveAgentName };

export const AGENT_NAME_MAX = 100;

/** The stored name, or the legacy profile name while no name was ever stored. */
export function storedAgentName(setting: unknown, legacyProfileName: unknown): string {
  if (typeof setting === 'string') return setting.trim().slice(0, AGENT_NAME_MAX);
  return typeof legacyProfileName === 'string' ? legacyProfileName.trim().slice(0, AGENT_NAME_MAX) : '';
}

/** Moves a name kept only in the canned-reply profile into the one setting (once; a stored name, even empty, is left alone). */
export async function adoptProfileName(db: WebcareDb, profileKey: string): Promise<void> {
  await db.transaction('rw', db.settings, async () => {
    const [name, profile] = await db.settings.bulkGet([AGENT_NAME_KEY, profileKey]);
    if (name !== undefined) return;
    const legacy = (profile?.value as { name?: unknown } | undefined)?.name;
    if (typeof legacy === 'string' && legacy.trim() !== '') await saveAgentName(db, legacy);
  });
}

/** The team login's display name while in a team; null when solo. */
export function useTeamLoginName(): string | null {
  const { status } = useServices();
  const get = () => status.get()?.team?.me?.name ?? null;
  return useSyncExternalStore(status.subscribe, get, get);
}

export interface AgentName {
  name: string;
  /** Set by the team login: shown, not editable at this console. */
  fromTeam: boolean;
}

export function useAgentName(): AgentName {
  const db = useDb();
  const team = useTeamLoginName();
  const local = useLiveQuery(async () => (await db.settings.get(AGENT_NAME_KEY))?.value, [db]);
  return team ? { name: team, fromTeam: true } : { name: storedAgentName(local, undefined), fromTeam: false };
}
